package idx

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

func encode(t testing.TB, a *Array) []byte {
	var b bytes.Buffer
	if err := Encode(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.NoCompression) // framing only; cheap per fuzz input
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func sample() *Array {
	a := &Array{Dims: []int{3, 2, 2}, Data: make([]byte, 12)}
	for i := range a.Data {
		a.Data[i] = byte(i * 20)
	}
	return a
}

func TestRoundTripRawAndGzip(t *testing.T) {
	raw := encode(t, sample())
	for name, b := range map[string][]byte{"raw": raw, "gzip": gz(raw)} {
		a, err := Decode(bytes.NewReader(b), "x")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(a.Dims) != 3 || a.Dims[0] != 3 || !bytes.Equal(a.Data, sample().Data) {
			t.Fatalf("%s: got %v %v", name, a.Dims, a.Data)
		}
	}
	if a, err := DecodeBytes(raw, "x"); err != nil || !bytes.Equal(a.Data, sample().Data) {
		t.Fatalf("DecodeBytes: %v", err)
	}
}

func TestErrors(t *testing.T) {
	raw := encode(t, sample())
	wrongMagic := append([]byte{1, 2, 8, 3}, raw[4:]...)
	wrongType := append([]byte{0, 0, 0x0d, 3}, raw[4:]...)
	tooManyDims := append([]byte{0, 0, 8, 9}, raw[4:]...)
	corruptGz := gz(raw)
	corruptGz[len(corruptGz)-6] ^= 0xff // CRC trailer
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "shorter than the 4-byte IDX header"},
		{"wrong magic", wrongMagic, "wrong magic number 01020803"},
		{"wrong type", wrongType, "element type 0x0d is not supported"},
		{"bad ndims", tooManyDims, "9 dimensions"},
		{"truncated header", raw[:9], "truncated header"},
		{"truncated data", raw[:len(raw)-5], "truncated: dimensions [3 2 2] need 12 data bytes, only 7 present"},
		{"truncated gzip", gz(raw[:len(raw)-5]), "truncated: dimensions [3 2 2] need 12 data bytes, only 7 present"},
		{"cut gzip stream", gz(raw)[:20], "train.gz"},
		{"extra bytes", append(append([]byte{}, raw...), 1, 2), "14 are present (2 extra)"},
		{"corrupt gzip", corruptGz, "corrupt gzip data"},
		{"huge header", []byte{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9}, "corrupt header"},
	}
	for _, c := range cases {
		_, err := Decode(bytes.NewReader(c.data), "train.gz")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "train.gz") {
			t.Errorf("%s: error %q, want it to name the file and contain %q", c.name, err, c.want)
		}
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v is not ErrFormat", c.name, err)
		}
	}
	if _, err := DecodeBytes(raw[:len(raw)-1], "t"); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("DecodeBytes truncated: %v", err)
	}
}

// FuzzDecode feeds arbitrary bytes (raw and gzip) to the decoder: it must
// return an array consistent with its dimensions or an error, never panic.
func FuzzDecode(f *testing.F) {
	raw := encode(f, sample())
	f.Add(raw)
	f.Add(gz(raw))
	f.Add(raw[:7])
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 2, 7, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, gz(b)} {
			a, err := Decode(bytes.NewReader(in), "fuzz")
			if err != nil {
				continue
			}
			n := 1
			for _, d := range a.Dims {
				n *= d
			}
			if n != len(a.Data) {
				t.Fatalf("dims %v but %d bytes", a.Dims, len(a.Data))
			}
		}
		if a, err := DecodeBytes(b, "fuzz"); err == nil {
			n := 1
			for _, d := range a.Dims {
				n *= d
			}
			if n != len(a.Data) {
				t.Fatalf("DecodeBytes: dims %v but %d bytes", a.Dims, len(a.Data))
			}
		}
	})
}
