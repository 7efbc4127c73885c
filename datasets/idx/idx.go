package idx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TypeUint8 is the IDX type code of unsigned bytes, the only element type of
// the MNIST family and the only one Decode accepts.
const TypeUint8 = 0x08

// MaxElements bounds the data size Decode accepts (1 GiB), so a corrupt header
// cannot make it allocate unbounded memory.
const MaxElements = 1 << 30

// Array is a decoded IDX file of unsigned bytes.
type Array struct {
	Dims []int  // e.g. [60000 28 28] for images, [60000] for labels
	Data []byte // row-major, len(Data) = product of Dims
}

// Error describes what is wrong with an IDX file.
type Error struct {
	File   string // base name of the file
	Reason string
}

// Error names the file and what is wrong with it.
func (e *Error) Error() string { return "idx: " + e.File + ": " + e.Reason }

// ErrFormat is matched by errors.Is for every *Error.
var ErrFormat = errors.New("idx: bad file")

// Is makes errors.Is(err, ErrFormat) true for format errors.
func (e *Error) Is(target error) bool { return target == ErrFormat }

// ReadFile reads and decodes an IDX file, decompressing it when it starts with
// the gzip magic bytes.
func ReadFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	defer f.Close()
	return Decode(bufio.NewReaderSize(f, 1<<20), filepath.Base(path))
}

// Decode reads an IDX file (gzip-compressed or raw) from r. name is used in
// error messages.
func Decode(r io.Reader, name string) (*Array, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		return nil, &Error{name, "file is empty or shorter than the 4-byte IDX header"}
	}
	if head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{name, "corrupt gzip header: " + err.Error()}
		}
		a, err := decodeRaw(zr, name, true)
		if err != nil {
			return nil, err
		}
		return a, nil
	}
	return decodeRaw(br, name, false)
}

// DecodeBytes decodes an uncompressed IDX file held in memory without copying
// its data: the returned Array's Data aliases b.
func DecodeBytes(b []byte, name string) (*Array, error) {
	dims, hl, err := header(bytes.NewReader(b), name)
	if err != nil {
		return nil, err
	}
	n := product(dims)
	if have := len(b) - hl; have != n {
		return nil, sizeError(name, dims, n, have)
	}
	return &Array{Dims: dims, Data: b[hl:]}, nil
}

func header(r io.Reader, name string) (dims []int, length int, err error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, 0, &Error{name, "file is shorter than the 4-byte IDX header"}
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, 0, &Error{name, fmt.Sprintf("wrong magic number %02x%02x%02x%02x: not an IDX file (expected 0000 08 0n)",
			magic[0], magic[1], magic[2], magic[3])}
	}
	if magic[2] != TypeUint8 {
		return nil, 0, &Error{name, fmt.Sprintf("element type 0x%02x is not supported (only 0x08, unsigned byte)", magic[2])}
	}
	nd := int(magic[3])
	if nd < 1 || nd > 4 {
		return nil, 0, &Error{name, fmt.Sprintf("%d dimensions in the header (expected 1 to 4)", nd)}
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, 0, &Error{name, fmt.Sprintf("truncated header: %d dimensions announced, fewer present", nd)}
	}
	total := 1
	for i := range nd {
		d := int(binary.BigEndian.Uint32(raw[4*i:]))
		dims = append(dims, d)
		if d != 0 && total > MaxElements/d {
			return nil, 0, &Error{name, fmt.Sprintf("dimensions %v describe more than %d bytes: corrupt header", dims, MaxElements)}
		}
		total *= d
	}
	return dims, 4 + 4*nd, nil
}

func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

func sizeError(name string, dims []int, want, have int) error {
	if have < want {
		return &Error{name, fmt.Sprintf("truncated: dimensions %v need %d data bytes, only %d present", dims, want, have)}
	}
	return &Error{name, fmt.Sprintf("dimensions %v need %d data bytes, but %d are present (%d extra)", dims, want, have, have-want)}
}

func decodeRaw(r io.Reader, name string, gz bool) (*Array, error) {
	dims, _, err := header(r, name)
	if err != nil {
		if gz {
			return nil, withGzip(r, err.(*Error))
		}
		return nil, err
	}
	n := product(dims)
	// Grow with the data actually present: a corrupt header announcing a
	// gigabyte must not make a 100-byte file allocate one.
	var buf bytes.Buffer
	buf.Grow(min(n, 1<<20))
	got, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	if err != nil {
		if gz {
			return nil, &Error{name, "corrupt gzip data: " + err.Error()}
		}
		return nil, &Error{name, err.Error()}
	}
	if int(got) < n {
		return nil, sizeError(name, dims, n, int(got))
	}
	data := buf.Bytes()
	// The file must end exactly here; for gzip this also verifies the CRC.
	extra, err := io.Copy(io.Discard, r)
	if err != nil {
		if gz {
			return nil, &Error{name, "corrupt gzip data: " + err.Error()}
		}
		return nil, &Error{name, err.Error()}
	}
	if extra > 0 {
		return nil, sizeError(name, dims, n, n+int(extra))
	}
	return &Array{Dims: dims, Data: data}, nil
}

// withGzip adds the gzip stream's own error, if any, to a header error.
func withGzip(r io.Reader, e *Error) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		e.Reason += " (and the gzip stream is corrupt: " + err.Error() + ")"
	}
	return e
}

// Encode writes an uncompressed IDX file of unsigned bytes.
func Encode(w io.Writer, a *Array) error {
	if len(a.Dims) < 1 || len(a.Dims) > 4 || product(a.Dims) != len(a.Data) {
		return fmt.Errorf("idx: cannot encode dims %v with %d bytes", a.Dims, len(a.Data))
	}
	hdr := []byte{0, 0, TypeUint8, byte(len(a.Dims))}
	for _, d := range a.Dims {
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(d))
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(a.Data)
	return err
}
