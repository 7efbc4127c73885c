package npyio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/dlnb/course/dlnb/tensor"
)

// Array is one NumPy array: its element type, shape and values. Data holds a
// []float64, []float32, []int64, []int32, []uint32 or []uint8 in C order.
type Array struct {
	Shape []int
	Data  any
}

// ErrFormat is matched (errors.Is) by every error about a malformed file.
var ErrFormat = errors.New("npyio: malformed file")

type formatError struct{ msg string }

func (e *formatError) Error() string        { return e.msg }
func (e *formatError) Is(target error) bool { return target == ErrFormat }

func bad(format string, args ...any) error { return &formatError{fmt.Sprintf(format, args...)} }

// dtype describes a supported element type.
type dtype struct {
	descr string
	size  int
	make  func(n int) any
}

var dtypes = []dtype{
	{"<f8", 8, func(n int) any { return make([]float64, n) }},
	{"<f4", 4, func(n int) any { return make([]float32, n) }},
	{"<i8", 8, func(n int) any { return make([]int64, n) }},
	{"<i4", 4, func(n int) any { return make([]int32, n) }},
	{"<u4", 4, func(n int) any { return make([]uint32, n) }},
	{"|u1", 1, func(n int) any { return make([]uint8, n) }},
}

func dtypeOf(descr string) (dtype, bool) {
	if descr == "<u1" {
		descr = "|u1"
	}
	for _, d := range dtypes {
		if d.descr == descr {
			return d, true
		}
	}
	return dtype{}, false
}

func descrOf(data any) (string, int, error) {
	switch v := data.(type) {
	case []float64:
		return "<f8", len(v), nil
	case []float32:
		return "<f4", len(v), nil
	case []int64:
		return "<i8", len(v), nil
	case []int32:
		return "<i4", len(v), nil
	case []uint32:
		return "<u4", len(v), nil
	case []uint8:
		return "|u1", len(v), nil
	}
	return "", 0, fmt.Errorf("npyio: unsupported element type %T", data)
}

// Len returns the number of elements.
func (a *Array) Len() int {
	_, n, _ := descrOf(a.Data)
	return n
}

// FromTensor makes an Array from a tensor (sharing its data).
func FromTensor[T tensor.Float](t *tensor.Tensor[T]) *Array {
	return &Array{Shape: append([]int(nil), t.Shape...), Data: t.Data}
}

// ToTensor converts a floating-point array to a tensor of element type T
// (converting float32/float64 as needed).
func ToTensor[T tensor.Float](a *Array) (*tensor.Tensor[T], error) {
	out := tensor.New[T](a.Shape...)
	switch v := a.Data.(type) {
	case []float64:
		if len(v) != out.Size() {
			return nil, bad("npyio: %d values for shape %s", len(v), tensor.ShapeString(a.Shape))
		}
		for i, x := range v {
			out.Data[i] = T(x)
		}
	case []float32:
		if len(v) != out.Size() {
			return nil, bad("npyio: %d values for shape %s", len(v), tensor.ShapeString(a.Shape))
		}
		for i, x := range v {
			out.Data[i] = T(x)
		}
	default:
		return nil, fmt.Errorf("npyio: array of %T is not floating point", a.Data)
	}
	return out, nil
}

var (
	npyMagic  = []byte("\x93NUMPY")
	descrRe   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	fortranRe = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	shapeRe   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// MaxElements bounds what a header may announce (2^31 values), so a corrupt
// header cannot make the reader allocate without limit.
const MaxElements = 1 << 31

// ReadNPY reads one .npy array; name is used in error messages.
func ReadNPY(r io.Reader, name string) (*Array, error) {
	br := bufio.NewReader(r)
	h, err := readNPYHeader(br, name)
	if err != nil {
		return nil, err
	}
	dm, fm, sm := descrRe.FindStringSubmatch(h), fortranRe.FindStringSubmatch(h), shapeRe.FindStringSubmatch(h)
	if dm == nil || fm == nil || sm == nil {
		return nil, bad("%s: header %q lacks descr, fortran_order or shape", name, strings.TrimSpace(h))
	}
	dt, ok := dtypeOf(dm[1])
	if !ok {
		return nil, fmt.Errorf("%s: element type %q is not supported (use float64, float32 or an integer type)", name, dm[1])
	}
	shape, total, err := parseNPYShape(name, sm[1])
	if err != nil {
		return nil, err
	}
	// Read the bytes first (the buffer grows only as data arrives), so a
	// header announcing a huge shape over a short file costs nothing.
	raw := make([]byte, 0, min(total*dt.size, 1<<20))
	buf := bytes.NewBuffer(raw)
	got, err := io.CopyN(buf, br, int64(total*dt.size))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int(got) < total*dt.size {
		return nil, bad("%s: truncated data: shape (%s) needs %d bytes, only %d present", name, sm[1], total*dt.size, got)
	}
	data := dt.make(total)
	if err := decode(data, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	a := &Array{Shape: shape, Data: data}
	if fm[1] == "True" && len(shape) > 1 {
		a = fromFortran(a)
	}
	return a, nil
}

// readNPYHeader reads an .npy file's magic string, format version and
// header length, and returns the header: the Python dict literal that holds
// descr, fortran_order and shape.
func readNPYHeader(br *bufio.Reader, name string) (string, error) {
	head := make([]byte, 8)
	if _, err := io.ReadFull(br, head); err != nil {
		return "", bad("%s: too short for an .npy header", name)
	}
	if !bytes.Equal(head[:6], npyMagic) {
		return "", bad("%s: not an .npy array (magic %q)", name, head[:6])
	}
	var hlen int
	switch head[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return "", bad("%s: truncated header", name)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return "", bad("%s: truncated header", name)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<20 {
			return "", bad("%s: header of %d bytes is not plausible", name, hlen)
		}
	default:
		return "", bad("%s: unsupported .npy format version %d.%d", name, head[6], head[7])
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return "", bad("%s: truncated header (%d bytes announced)", name, hlen)
	}
	return string(hdr), nil
}

// parseNPYShape reads the dimensions of a header's shape tuple ("3, 4" or
// Python 2's "3L, 4L"; "" for a scalar) and returns them with their product,
// which must stay within MaxElements.
func parseNPYShape(name, tuple string) (shape []int, total int, err error) {
	shape, total = []int{}, 1
	for _, f := range strings.Split(tuple, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || d < 0 {
			return nil, 0, bad("%s: bad dimension %q in shape (%s)", name, f, tuple)
		}
		if d != 0 && total > MaxElements/d {
			return nil, 0, bad("%s: shape (%s) is too large", name, tuple)
		}
		total *= d
		shape = append(shape, d)
	}
	return shape, total, nil
}

func decode(data any, b []byte) error {
	switch v := data.(type) {
	case []float64:
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
	case []float32:
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case []int64:
		for i := range v {
			v[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
	case []int32:
		for i := range v {
			v[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case []uint32:
		for i := range v {
			v[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
	case []uint8:
		copy(v, b)
	default:
		return fmt.Errorf("unsupported element type %T", data)
	}
	return nil
}

// fromFortran reorders a column-major array into row-major order.
func fromFortran(a *Array) *Array {
	n := a.Len()
	idx := make([]int, n) // idx[rowMajor] = columnMajor position
	nd := len(a.Shape)
	coord := make([]int, nd)
	for k := range n {
		off, stride := 0, 1
		for d := 0; d < nd; d++ {
			off += coord[d] * stride
			stride *= a.Shape[d]
		}
		idx[k] = off
		for d := nd - 1; d >= 0; d-- {
			coord[d]++
			if coord[d] < a.Shape[d] {
				break
			}
			coord[d] = 0
		}
	}
	switch v := a.Data.(type) {
	case []float64:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	case []float32:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	case []int64:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	case []int32:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	case []uint32:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	case []uint8:
		return &Array{Shape: a.Shape, Data: gather(v, idx)}
	}
	return a
}

// gather returns v[idx[0]], v[idx[1]], ….
func gather[E any](v []E, idx []int) []E {
	out := make([]E, len(idx))
	for k, j := range idx {
		out[k] = v[j]
	}
	return out
}

// WriteNPY writes an array in .npy format 1.0 (C order, 64-byte aligned
// header), readable by np.load.
func WriteNPY(w io.Writer, a *Array) error {
	descr, n, err := descrOf(a.Data)
	if err != nil {
		return err
	}
	if tensor.Size(a.Shape) != n {
		return fmt.Errorf("npyio: %d values for shape %s", n, tensor.ShapeString(a.Shape))
	}
	dims := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = strconv.Itoa(d)
	}
	shape := strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shape)
	pad := 64 - (10+len(h)+1)%64
	h += strings.Repeat(" ", pad%64) + "\n"
	var hdr bytes.Buffer
	hdr.Write(npyMagic)
	hdr.Write([]byte{1, 0})
	binary.Write(&hdr, binary.LittleEndian, uint16(len(h)))
	hdr.WriteString(h)
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, a.Data)
}
