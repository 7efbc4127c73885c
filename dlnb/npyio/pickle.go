package npyio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
)

// ReadPickle reads a pickled dict of name → ndarray, as the book's and the
// course's save_params write it (pickle.dump(params, f), any protocol from 2
// to 5). Only the constructors NumPy uses for arrays are accepted; anything
// else in the file is reported as an error, never executed.
func ReadPickle(path string) (map[string]*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("npyio: %w", err)
	}
	defer f.Close()
	m, err := DecodePickle(bufio.NewReader(f), filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return m, nil
}

// pickle opcodes used by NumPy dict pickles.
const (
	opMark           = '('
	opStop           = '.'
	opPop            = '0'
	opBinInt         = 'J'
	opBinInt1        = 'K'
	opBinInt2        = 'M'
	opNone           = 'N'
	opReduce         = 'R'
	opBinString      = 'T'
	opShortBinString = 'U'
	opBinUnicode     = 'X'
	opEmptyDict      = '}'
	opAppends        = 'e'
	opGlobal         = 'c'
	opBinGet         = 'h'
	opLongBinGet     = 'j'
	opEmptyList      = ']'
	opBinPut         = 'q'
	opLongBinPut     = 'r'
	opSetItem        = 's'
	opTuple          = 't'
	opEmptyTuple     = ')'
	opSetItems       = 'u'
	opBinFloat       = 'G'
	opBuild          = 'b'
	opProto          = 0x80
	opNewObj         = 0x81
	opTuple1         = 0x85
	opTuple2         = 0x86
	opTuple3         = 0x87
	opNewTrue        = 0x88
	opNewFalse       = 0x89
	opLong1          = 0x8a
	opShortBinBytes  = 'C'
	opBinBytes       = 'B'
	opShortBinUni    = 0x8c
	opBinUnicode8    = 0x8d
	opBinBytes8      = 0x8e
	opEmptySet       = 0x8f
	opFrozenSet      = 0x91
	opNewObjEx       = 0x92
	opStackGlobal    = 0x93
	opMemoize        = 0x94
	opFrame          = 0x95
	opByteArray8     = 0x96
)

type (
	markT   struct{}
	tupleT  []any
	globalT struct{ module, name string }
	dtypeT  struct{ descr, order string }
	arrayT  struct{ arr *Array }
)

// allowed are the globals a NumPy array pickle may name.
var allowed = map[globalT]bool{
	{"numpy.core.multiarray", "_reconstruct"}:  true,
	{"numpy._core.multiarray", "_reconstruct"}: true,
	{"numpy", "ndarray"}:                       true,
	{"numpy.core.numeric", "_frombuffer"}:      true,
	{"numpy._core.numeric", "_frombuffer"}:     true,
	{"numpy", "dtype"}:                         true,
	{"_codecs", "encode"}:                      true,
	{"collections", "OrderedDict"}:             true,
	{"builtins", "dict"}:                       true,
}

// DecodePickle decodes a pickled dict of name → ndarray from r.
//
// It runs the pickle machine for the opcodes NumPy's dict pickles use, one
// opcode at a time (step), until STOP, and turns the dict left on the stack
// into arrays (toArrays).
func DecodePickle(r io.Reader, name string) (map[string]*Array, error) {
	u := &unpickler{br: bufio.NewReader(r), name: name, memo: map[int]any{}}
	for {
		op, err := u.br.ReadByte()
		if err != nil {
			return nil, u.fail("truncated: no STOP opcode (the file is incomplete)")
		}
		if op == opStop {
			v, err := u.pop()
			if err != nil {
				return nil, err
			}
			return toArrays(v, u.fail)
		}
		if err := u.step(op); err != nil {
			return nil, err
		}
	}
}

// unpickler is the state of the pickle machine: the input, the value stack,
// the positions of its marks and the memo.
type unpickler struct {
	br    *bufio.Reader
	name  string // the file's name, for messages
	stack []any
	marks []int
	memo  map[int]any
}

// step carries out one opcode other than STOP.
func (u *unpickler) step(op byte) error {
	switch op {
	case opProto, opFrame, opMark, opPop:
		return u.control(op)
	case opNone, opNewTrue, opNewFalse, opBinInt, opBinInt1, opBinInt2, opLong1, opBinFloat:
		return u.scalar(op)
	case opShortBinUni, opShortBinString, opShortBinBytes, opBinUnicode, opBinString, opBinBytes,
		opBinUnicode8, opBinBytes8, opByteArray8:
		return u.bytes(op)
	case opEmptyDict, opEmptyList, opEmptyTuple, opEmptySet, opTuple, opTuple1, opTuple2, opTuple3,
		opAppends, opSetItem, opSetItems:
		return u.container(op)
	case opMemoize, opBinPut, opLongBinPut, opBinGet, opLongBinGet:
		return u.memoOp(op)
	case opGlobal, opStackGlobal, opReduce, opNewObj, opBuild:
		return u.object(op)
	}
	return u.fail("unsupported pickle opcode 0x%02x: not a dict of NumPy arrays", op)
}

// control: the protocol and frame headers (skipped), MARK and POP.
func (u *unpickler) control(op byte) error {
	switch op {
	case opProto:
		if _, err := u.br.ReadByte(); err != nil {
			return u.fail("truncated")
		}
	case opFrame:
		_, err := u.readN(8)
		return err
	case opMark:
		u.marks = append(u.marks, len(u.stack))
	case opPop:
		_, err := u.pop()
		return err
	}
	return nil
}

// scalar pushes None, a bool, an integer or a float.
func (u *unpickler) scalar(op byte) error {
	var v any
	switch op {
	case opNone:
		v = nil
	case opNewTrue, opNewFalse:
		v = op == opNewTrue
	case opBinInt:
		b, err := u.readN(4)
		if err != nil {
			return err
		}
		v = int64(int32(binary.LittleEndian.Uint32(b)))
	case opBinInt1:
		b, err := u.readN(1)
		if err != nil {
			return err
		}
		v = int64(b[0])
	case opBinInt2:
		b, err := u.readN(2)
		if err != nil {
			return err
		}
		v = int64(binary.LittleEndian.Uint16(b))
	case opLong1:
		n, err := u.u8()
		if err != nil {
			return err
		}
		b, err := u.readN(n)
		if err != nil {
			return err
		}
		v = decodeLong(b)
	case opBinFloat:
		b, err := u.readN(8)
		if err != nil {
			return err
		}
		v = math.Float64frombits(binary.BigEndian.Uint64(b))
	}
	u.push(v)
	return nil
}

// bytes reads a length (1, 4 or 8 bytes by opcode), then that many bytes:
// the text opcodes push a string, the byte opcodes a []byte.
func (u *unpickler) bytes(op byte) error {
	var n int
	var err error
	switch op {
	case opShortBinUni, opShortBinString, opShortBinBytes:
		n, err = u.u8()
	case opBinUnicode, opBinString, opBinBytes:
		n, err = u.u32()
	default:
		n, err = u.u64()
	}
	if err != nil {
		return err
	}
	b, err := u.readN(n)
	if err != nil {
		return err
	}
	switch op {
	case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
		u.push(b)
	default:
		u.push(string(b))
	}
	return nil
}

// container builds dicts, lists (sets are read as lists) and tuples.
func (u *unpickler) container(op byte) error {
	switch op {
	case opEmptyDict:
		u.push(map[string]any{})
	case opEmptyList, opEmptySet:
		u.push(&[]any{})
	case opEmptyTuple:
		u.push(tupleT{})
	case opTuple:
		items, err := u.popMark()
		if err != nil {
			return err
		}
		u.push(tupleT(items))
	case opTuple1, opTuple2, opTuple3:
		n := int(op-opTuple1) + 1
		if len(u.stack) < n {
			return u.fail("corrupt pickle: stack underflow")
		}
		t := append(tupleT(nil), u.stack[len(u.stack)-n:]...)
		u.stack = append(u.stack[:len(u.stack)-n], t)
	case opAppends:
		return u.appends()
	case opSetItem, opSetItems:
		return u.setItems(op)
	}
	return nil
}

// appends adds the items above the last mark to the list below it.
func (u *unpickler) appends() error {
	items, err := u.popMark()
	if err != nil {
		return err
	}
	l, err := u.pop()
	if err != nil {
		return err
	}
	lp, ok := l.(*[]any)
	if !ok {
		return u.fail("corrupt pickle: APPENDS to a %T", l)
	}
	*lp = append(*lp, items...)
	u.push(lp)
	return nil
}

// setItems sets key, value pairs in the dict below them: one pair for
// SETITEM, the pairs above the last mark for SETITEMS.
func (u *unpickler) setItems(op byte) error {
	var items []any
	var err error
	if op == opSetItem {
		if len(u.stack) < 2 {
			return u.fail("corrupt pickle: stack underflow")
		}
		items = append(items, u.stack[len(u.stack)-2:]...)
		u.stack = u.stack[:len(u.stack)-2]
	} else if items, err = u.popMark(); err != nil {
		return err
	}
	d, err := u.pop()
	if err != nil {
		return err
	}
	dm, ok := d.(map[string]any)
	if !ok || len(items)%2 != 0 {
		return u.fail("corrupt pickle: SETITEMS on a %T", d)
	}
	for i := 0; i < len(items); i += 2 {
		k, ok := items[i].(string)
		if !ok {
			return u.fail("dictionary key %v is not a string", items[i])
		}
		dm[k] = items[i+1]
	}
	u.push(dm)
	return nil
}

// memoOp stores the top of the stack in the memo (MEMOIZE at the next free
// index, PUT at the index given) or pushes a memoized value (GET).
func (u *unpickler) memoOp(op byte) error {
	if op == opMemoize {
		if len(u.stack) == 0 {
			return u.fail("corrupt pickle: MEMOIZE on an empty stack")
		}
		u.memo[len(u.memo)] = u.stack[len(u.stack)-1]
		return nil
	}
	read := u.u8
	if op == opLongBinPut || op == opLongBinGet {
		read = u.u32
	}
	idx, err := read()
	if err != nil {
		return err
	}
	if op == opBinPut || op == opLongBinPut {
		if len(u.stack) == 0 {
			return u.fail("corrupt pickle: PUT on an empty stack")
		}
		u.memo[idx] = u.stack[len(u.stack)-1]
		return nil
	}
	v, ok := u.memo[idx]
	if !ok {
		return u.fail("corrupt pickle: memo %d undefined", idx)
	}
	u.push(v)
	return nil
}

// object names a global (only those in allowed may then be called), calls
// one (REDUCE, NEWOBJ) or sets an object's state (BUILD).
func (u *unpickler) object(op byte) error {
	switch op {
	case opGlobal:
		mod, err := u.line()
		if err != nil {
			return err
		}
		nm, err := u.line()
		if err != nil {
			return err
		}
		u.push(globalT{mod, nm})
	case opStackGlobal:
		mod, nm, err := u.pop2()
		if err != nil {
			return err
		}
		ms, ok1 := mod.(string)
		ns, ok2 := nm.(string)
		if !ok1 || !ok2 {
			return u.fail("corrupt pickle: STACK_GLOBAL of %T, %T", mod, nm)
		}
		u.push(globalT{ms, ns})
	case opReduce, opNewObj:
		fn, args, err := u.pop2()
		if err != nil {
			return err
		}
		v, err := reduce(fn, args, u.fail)
		if err != nil {
			return err
		}
		u.push(v)
	case opBuild:
		obj, state, err := u.pop2()
		if err != nil {
			return err
		}
		if err := build(obj, state, u.fail); err != nil {
			return err
		}
		u.push(obj)
	}
	return nil
}

// fail returns an error about this pickle.
func (u *unpickler) fail(format string, args ...any) error {
	return bad("npyio: %s: %s", u.name, fmt.Sprintf(format, args...))
}

func (u *unpickler) push(v any) { u.stack = append(u.stack, v) }

func (u *unpickler) pop() (any, error) {
	if len(u.stack) == 0 {
		return nil, u.fail("corrupt pickle: stack underflow")
	}
	v := u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-1]
	return v, nil
}

// pop2 pops the top two items: a was pushed before b.
func (u *unpickler) pop2() (a, b any, err error) {
	if len(u.stack) < 2 {
		return nil, nil, u.fail("corrupt pickle: stack underflow")
	}
	a, b = u.stack[len(u.stack)-2], u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-2]
	return a, b, nil
}

// popMark pops the items above the last mark, and the mark.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, u.fail("corrupt pickle: no mark")
	}
	m := u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	if m > len(u.stack) {
		return nil, u.fail("corrupt pickle: mark beyond the stack")
	}
	items := append([]any(nil), u.stack[m:]...)
	u.stack = u.stack[:m]
	return items, nil
}

// readN reads n bytes, growing the buffer 1 MB at a time so that a corrupt
// length fails at the end of the input rather than allocating it all.
func (u *unpickler) readN(n int) ([]byte, error) {
	if n < 0 || n > 1<<34 {
		return nil, u.fail("corrupt pickle: length %d", n)
	}
	b := make([]byte, 0, min(n, 1<<20))
	for len(b) < n {
		chunk := min(n-len(b), 1<<20)
		start := len(b)
		b = append(b, make([]byte, chunk)...)
		if _, err := io.ReadFull(u.br, b[start:]); err != nil {
			return nil, u.fail("truncated: the pickle ends early")
		}
	}
	return b, nil
}

func (u *unpickler) u8() (int, error) {
	b, err := u.br.ReadByte()
	if err != nil {
		return 0, u.fail("truncated")
	}
	return int(b), nil
}

func (u *unpickler) u32() (int, error) {
	b, err := u.readN(4)
	if err != nil {
		return 0, err
	}
	return int(binary.LittleEndian.Uint32(b)), nil
}

func (u *unpickler) u64() (int, error) {
	b, err := u.readN(8)
	if err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint64(b)
	if v > 1<<34 {
		return 0, u.fail("corrupt pickle: length %d", v)
	}
	return int(v), nil
}

// line reads a newline-terminated text argument (GLOBAL's module and name).
func (u *unpickler) line() (string, error) {
	s, err := u.br.ReadString('\n')
	if err != nil {
		return "", u.fail("truncated: the pickle ends early")
	}
	return s[:len(s)-1], nil
}

func decodeLong(b []byte) int64 {
	if len(b) == 0 {
		return 0
	}
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	v := new(big.Int).SetBytes(be)
	if b[len(b)-1]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v.Int64()
}

func reduce(fn, args any, fail func(string, ...any) error) (any, error) {
	g, ok := fn.(globalT)
	if !ok {
		return nil, fail("corrupt pickle: call of a %T", fn)
	}
	if !allowed[g] {
		return nil, fail("the pickle calls %s.%s, which is not part of a NumPy array: dlnb loads only dicts of arrays", g.module, g.name)
	}
	t, _ := args.(tupleT)
	switch g.name {
	case "_reconstruct", "ndarray":
		return &arrayT{}, nil
	case "dtype":
		if len(t) == 0 {
			return nil, fail("corrupt pickle: dtype without arguments")
		}
		s, _ := t[0].(string)
		return &dtypeT{descr: s}, nil
	case "encode": // protocol 2 stores bytes as a latin-1 string
		if len(t) == 0 {
			return nil, fail("corrupt pickle: encode without arguments")
		}
		s, _ := t[0].(string)
		b := make([]byte, 0, len(s))
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b, nil
	case "OrderedDict", "dict":
		return map[string]any{}, nil
	case "_frombuffer": // protocol 5: (buffer, dtype, shape, order)
		if len(t) != 4 {
			return nil, fail("corrupt pickle: _frombuffer with %d arguments", len(t))
		}
		a := &arrayT{}
		order, _ := t[3].(string)
		if err := build(a, tupleT{int64(1), t[2], t[1], order == "F", t[0]}, fail); err != nil {
			return nil, err
		}
		return a, nil
	}
	return nil, fail("unsupported constructor %s.%s", g.module, g.name)
}

func build(obj, state any, fail func(string, ...any) error) error {
	t, _ := state.(tupleT)
	switch o := obj.(type) {
	case *dtypeT:
		if len(t) > 1 {
			o.order, _ = t[1].(string)
		}
		return nil
	case *arrayT:
		// (version, shape, dtype, is_fortran, raw bytes)
		if len(t) != 5 {
			return fail("corrupt pickle: array state of %d items", len(t))
		}
		shapeT, ok := t[1].(tupleT)
		dt, ok2 := t[2].(*dtypeT)
		fortran, _ := t[3].(bool)
		raw, ok3 := t[4].([]byte)
		if s, isStr := t[4].(string); isStr { // protocol 0-2 text
			raw, ok3 = []byte(s), true
		}
		if !ok || !ok2 || !ok3 {
			return fail("corrupt pickle: unexpected array state")
		}
		var shape []int
		total := 1
		for _, d := range shapeT {
			v, ok := d.(int64)
			if !ok || v < 0 || (v != 0 && int64(total) > MaxElements/v) {
				return fail("corrupt pickle: bad array shape %v", shapeT)
			}
			shape = append(shape, int(v))
			total *= int(v)
		}
		descr := dt.descr
		if dt.order == ">" {
			return fail("big-endian arrays are not supported")
		}
		typ, ok := dtypeOf("<" + descr)
		if !ok {
			if typ, ok = dtypeOf(descr); !ok {
				return fail("array element type %q is not supported (use float64 or float32)", descr)
			}
		}
		if len(raw) != total*typ.size {
			return fail("array of shape %v needs %d bytes, the pickle has %d", shape, total*typ.size, len(raw))
		}
		data := typ.make(total)
		if err := decode(data, raw); err != nil {
			return fail("%v", err)
		}
		o.arr = &Array{Shape: shape, Data: data}
		if fortran && len(shape) > 1 {
			o.arr = fromFortran(o.arr)
		}
		return nil
	case map[string]any:
		if m, ok := state.(map[string]any); ok {
			for k, v := range m {
				o[k] = v
			}
			return nil
		}
	}
	return fail("corrupt pickle: BUILD on a %T", obj)
}

// pyType names the Python type of a decoded value, for messages read by
// Python users (a list, not a *[]interface {}).
func pyType(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "a dict"
	case *[]any:
		return "a list (or a set)"
	case tupleT:
		return fmt.Sprintf("a tuple of %d items", len(v))
	case string:
		return "a str"
	case []byte:
		return "a bytes object"
	case int64:
		return "an int"
	case float64:
		return "a float"
	case bool:
		return "a bool"
	case nil:
		return "None"
	case *arrayT:
		return "a NumPy array"
	case *dtypeT:
		return "a NumPy dtype"
	case globalT:
		return v.module + "." + v.name
	}
	return "a Python object dlnb does not read"
}

func toArrays(v any, fail func(string, ...any) error) (map[string]*Array, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fail("the pickle holds %s, not a dict of parameter arrays such as {'W1': array, 'b1': array, …} (the book's save_params pickles one)", pyType(v))
	}
	out := map[string]*Array{}
	for k, x := range m {
		a, ok := x.(*arrayT)
		if !ok || a.arr == nil {
			return nil, fail("entry %q is %s, not a NumPy array", k, pyType(x))
		}
		out[k] = a.arr
	}
	return out, nil
}
