// Package npyio reads and writes NumPy's file formats so that dlnb's trained
// networks round-trip with Python: .npy arrays, .npz archives (np.savez /
// np.savez_compressed, np.load) and the pickled parameter dictionaries the
// book's and the course's save_params write (a dict of name → ndarray).
//
// Supported element types are little-endian float64 ('<f8'), float32
// ('<f4'), int64, int32, uint32 and uint8. Files are written atomically (a
// temporary file renamed into place), and a truncated or corrupt file is an
// error that names the file and what is wrong — never a panic. The pickle
// reader runs a minimal pickle machine that accepts only the few NumPy
// constructors such files use, so it cannot be made to run other code.
package npyio
