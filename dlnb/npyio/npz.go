package npyio

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadNPZ reads every array of an .npz archive (np.savez or
// np.savez_compressed) by name (without the .npy suffix).
func ReadNPZ(path string) (map[string]*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npyio: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("npyio: %w", err)
	}
	return DecodeNPZ(f, st.Size(), path)
}

// DecodeNPZ reads every array of an .npz archive of the given size from r;
// path names it in error messages.
func DecodeNPZ(r io.ReaderAt, size int64, path string) (map[string]*Array, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, bad("npyio: %s is not a readable .npz archive (%v): the file is truncated or corrupt", path, err)
	}
	out := map[string]*Array{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			continue
		}
		if f.UncompressedSize64 > 8*MaxElements {
			return nil, bad("npyio: %s: entry %s is too large", path, f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, bad("npyio: %s: entry %s: %v", path, f.Name, err)
		}
		a, err := ReadNPY(rc, filepath.Base(path)+":"+f.Name)
		if err == nil {
			// Reading to the end also checks the entry's CRC.
			_, err = rc.Read(make([]byte, 1))
			if err != nil && !errors.Is(err, io.EOF) {
				err = bad("npyio: %s: entry %s: %v", path, f.Name, err)
			} else {
				err = nil
			}
		}
		rc.Close()
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

// WriteNPZ writes arrays to an .npz archive readable by np.load, atomically:
// the archive is written to a temporary file in the same directory and
// renamed into place, so an interrupted write never leaves a half file.
func WriteNPZ(path string, arrays map[string]*Array) error {
	names := make([]string, 0, len(arrays))
	for n := range arrays {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if err := WriteNPY(w, arrays[n]); err != nil {
			return fmt.Errorf("npyio: %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// WriteFileAtomic writes data to path through a temporary file and a rename.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("npyio: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("npyio: %w", err)
	}
	tmp := f.Name()
	// CreateTemp makes the file private (0600); a saved model is an ordinary file.
	cherr := f.Chmod(0o644)
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(cherr, werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("npyio: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("npyio: %w", err)
	}
	return nil
}
