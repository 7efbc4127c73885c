package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"

	"github.com/dlnb/course/datasets/idx"
)

// The decoded cache holds an uncompressed IDX file followed by an 8-byte
// trailer: the magic "DLNB" and the CRC-32C of everything before it. A file
// whose trailer does not match is ignored and rewritten.
var (
	cacheMagic = []byte("DLNB")
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
)

func readDecoded(path, name string) (*idx.Array, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 || !bytes.Equal(b[len(b)-8:len(b)-4], cacheMagic) {
		return nil, errors.New("no cache trailer")
	}
	body := b[:len(b)-8]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, errors.New("cache checksum mismatch")
	}
	return idx.DecodeBytes(body, name)
}

func writeDecoded(path string, a *idx.Array) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(a.Data) + 32)
	if err := idx.Encode(&buf, a); err != nil {
		return err
	}
	sum := crc32.Checksum(buf.Bytes(), castagnoli)
	buf.Write(cacheMagic)
	buf.Write(binary.LittleEndian.AppendUint32(nil, sum))
	return writeAtomic(path, buf.Bytes())
}

// writeAtomic writes data to a temporary file in path's directory and renames
// it into place, so readers never see a half-written file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
