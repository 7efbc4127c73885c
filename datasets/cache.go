package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
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

// decodedCache is the decoded cache as one load uses it. The cache is an
// optimisation: a load goes on without it, and err says why it could not
// be used.
type decodedCache struct {
	dir  string // "" when off or unusable
	err  error  // the first reason it could not be used
	hits int    // files read from it
}

// openCache returns the decoded cache of a load: off with NoCache, else
// the cache folder, or none and the reason when that folder is unusable.
func openCache(o Options) *decodedCache {
	if o.NoCache {
		return &decodedCache{}
	}
	dir, err := cacheFolder()
	if err != nil {
		return &decodedCache{err: cacheError(dir, err)}
	}
	return &decodedCache{dir: dir}
}

// cacheFolder returns CacheDir when it is a folder or can be made one.
func cacheFolder() (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return dir, err
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return dir, nil // made on the first write
	case err != nil:
		return dir, err
	case !st.IsDir():
		return dir, errors.New("it is a file, not a folder")
	}
	return dir, nil
}

// cacheError says why the cache folder dir cannot be used and what to do.
func cacheError(dir string, err error) error {
	where, fix := "the cache folder "+dir, "make it writable, or point DLNB_CACHE_DIR at a folder you can write"
	if d := os.Getenv("DLNB_CACHE_DIR"); d != "" {
		where, fix = "DLNB_CACHE_DIR="+d, "point DLNB_CACHE_DIR at a folder you can write, or unset it"
	}
	if dir == "" {
		where = "no cache folder"
	}
	return fmt.Errorf("the decoded cache cannot be used (%s: %v), so every load decompresses the files: %s", where, err, fix)
}

// path returns the cache file of the source file with SHA-256 sum.
func (c *decodedCache) path(sum string) string { return filepath.Join(c.dir, "decoded", sum+".idx") }

// read returns the decoded file of SHA-256 sum, or nil when the cache is
// off or does not hold it (a damaged copy is rewritten by write).
func (c *decodedCache) read(sum, name string) *idx.Array {
	if c.dir == "" {
		return nil
	}
	a, err := readDecoded(c.path(sum), name)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			c.fail(err)
		}
		return nil
	}
	c.hits++
	return a
}

// write stores a decoded file under its source's SHA-256 sum.
func (c *decodedCache) write(sum string, a *idx.Array) {
	if c.dir == "" {
		return
	}
	if err := writeDecoded(c.path(sum), a); err != nil {
		c.fail(err)
	}
}

// fail records why the cache could not be used and stops using it.
func (c *decodedCache) fail(err error) {
	if c.err == nil {
		c.err = cacheError(c.dir, err)
	}
	c.dir = ""
}
