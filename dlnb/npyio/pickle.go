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
func DecodePickle(r io.Reader, name string) (out map[string]*Array, err error) {
	br := bufio.NewReader(r)
	var stack []any
	var marks []int
	memo := map[int]any{}
	fail := func(format string, args ...any) error {
		return bad("npyio: %s: %s", name, fmt.Sprintf(format, args...))
	}
	pop := func() (any, error) {
		if len(stack) == 0 {
			return nil, fail("corrupt pickle: stack underflow")
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v, nil
	}
	// pop2 pops the top two items: a was pushed before b.
	pop2 := func() (a, b any, err error) {
		if len(stack) < 2 {
			return nil, nil, fail("corrupt pickle: stack underflow")
		}
		a, b = stack[len(stack)-2], stack[len(stack)-1]
		stack = stack[:len(stack)-2]
		return a, b, nil
	}
	popMark := func() ([]any, error) {
		if len(marks) == 0 {
			return nil, fail("corrupt pickle: no mark")
		}
		m := marks[len(marks)-1]
		marks = marks[:len(marks)-1]
		if m > len(stack) {
			return nil, fail("corrupt pickle: mark beyond the stack")
		}
		items := append([]any(nil), stack[m:]...)
		stack = stack[:m]
		return items, nil
	}
	readN := func(n int) ([]byte, error) {
		if n < 0 || n > 1<<34 {
			return nil, fail("corrupt pickle: length %d", n)
		}
		b := make([]byte, 0, min(n, 1<<20))
		for len(b) < n {
			chunk := min(n-len(b), 1<<20)
			start := len(b)
			b = append(b, make([]byte, chunk)...)
			if _, err := io.ReadFull(br, b[start:]); err != nil {
				return nil, fail("truncated: the pickle ends early")
			}
		}
		return b, nil
	}
	u8 := func() (int, error) {
		b, err := br.ReadByte()
		if err != nil {
			return 0, fail("truncated")
		}
		return int(b), nil
	}
	u32 := func() (int, error) {
		b, err := readN(4)
		if err != nil {
			return 0, err
		}
		return int(binary.LittleEndian.Uint32(b)), nil
	}
	u64 := func() (int, error) {
		b, err := readN(8)
		if err != nil {
			return 0, err
		}
		v := binary.LittleEndian.Uint64(b)
		if v > 1<<34 {
			return 0, fail("corrupt pickle: length %d", v)
		}
		return int(v), nil
	}
	line := func() (string, error) {
		s, err := br.ReadString('\n')
		if err != nil {
			return "", fail("truncated: the pickle ends early")
		}
		return s[:len(s)-1], nil
	}
	for {
		op, rerr := br.ReadByte()
		if rerr != nil {
			return nil, fail("truncated: no STOP opcode (the file is incomplete)")
		}
		switch op {
		case opProto:
			if _, err := br.ReadByte(); err != nil {
				return nil, fail("truncated")
			}
		case opFrame:
			if _, err := readN(8); err != nil {
				return nil, err
			}
		case opMark:
			marks = append(marks, len(stack))
		case opStop:
			v, err := pop()
			if err != nil {
				return nil, err
			}
			return toArrays(v, fail)
		case opPop:
			if _, err := pop(); err != nil {
				return nil, err
			}
		case opNone:
			stack = append(stack, nil)
		case opNewTrue:
			stack = append(stack, true)
		case opNewFalse:
			stack = append(stack, false)
		case opBinInt:
			b, err := readN(4)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(int32(binary.LittleEndian.Uint32(b))))
		case opBinInt1:
			b, err := readN(1)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(b[0]))
		case opBinInt2:
			b, err := readN(2)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(binary.LittleEndian.Uint16(b)))
		case opLong1:
			n, err := u8()
			if err != nil {
				return nil, err
			}
			b, err := readN(n)
			if err != nil {
				return nil, err
			}
			stack = append(stack, decodeLong(b))
		case opBinFloat:
			b, err := readN(8)
			if err != nil {
				return nil, err
			}
			stack = append(stack, math.Float64frombits(binary.BigEndian.Uint64(b)))
		case opShortBinUni, opShortBinString, opShortBinBytes, opBinUnicode, opBinString, opBinBytes,
			opBinUnicode8, opBinBytes8, opByteArray8:
			// A length (1, 4 or 8 bytes by opcode), then the bytes; text
			// opcodes push a string, byte opcodes a []byte.
			var n int
			var err error
			switch op {
			case opShortBinUni, opShortBinString, opShortBinBytes:
				n, err = u8()
			case opBinUnicode, opBinString, opBinBytes:
				n, err = u32()
			default:
				n, err = u64()
			}
			if err != nil {
				return nil, err
			}
			b, err := readN(n)
			if err != nil {
				return nil, err
			}
			switch op {
			case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
				stack = append(stack, b)
			default:
				stack = append(stack, string(b))
			}
		case opEmptyDict:
			stack = append(stack, map[string]any{})
		case opEmptyList:
			stack = append(stack, &[]any{})
		case opEmptyTuple:
			stack = append(stack, tupleT{})
		case opEmptySet:
			stack = append(stack, &[]any{})
		case opTuple:
			items, err := popMark()
			if err != nil {
				return nil, err
			}
			stack = append(stack, tupleT(items))
		case opTuple1, opTuple2, opTuple3:
			n := int(op-opTuple1) + 1
			if len(stack) < n {
				return nil, fail("corrupt pickle: stack underflow")
			}
			t := append(tupleT(nil), stack[len(stack)-n:]...)
			stack = append(stack[:len(stack)-n], t)
		case opAppends:
			items, err := popMark()
			if err != nil {
				return nil, err
			}
			l, err := pop()
			if err != nil {
				return nil, err
			}
			lp, ok := l.(*[]any)
			if !ok {
				return nil, fail("corrupt pickle: APPENDS to a %T", l)
			}
			*lp = append(*lp, items...)
			stack = append(stack, lp)
		case opSetItem, opSetItems:
			var items []any
			var err error
			if op == opSetItem {
				if len(stack) < 2 {
					return nil, fail("corrupt pickle: stack underflow")
				}
				items = append(items, stack[len(stack)-2:]...)
				stack = stack[:len(stack)-2]
			} else if items, err = popMark(); err != nil {
				return nil, err
			}
			d, err := pop()
			if err != nil {
				return nil, err
			}
			dm, ok := d.(map[string]any)
			if !ok || len(items)%2 != 0 {
				return nil, fail("corrupt pickle: SETITEMS on a %T", d)
			}
			for i := 0; i < len(items); i += 2 {
				k, ok := items[i].(string)
				if !ok {
					return nil, fail("dictionary key %v is not a string", items[i])
				}
				dm[k] = items[i+1]
			}
			stack = append(stack, dm)
		case opGlobal:
			mod, err := line()
			if err != nil {
				return nil, err
			}
			nm, err := line()
			if err != nil {
				return nil, err
			}
			stack = append(stack, globalT{mod, nm})
		case opStackGlobal:
			mod, nm, err := pop2()
			if err != nil {
				return nil, err
			}
			ms, ok1 := mod.(string)
			ns, ok2 := nm.(string)
			if !ok1 || !ok2 {
				return nil, fail("corrupt pickle: STACK_GLOBAL of %T, %T", mod, nm)
			}
			stack = append(stack, globalT{ms, ns})
		case opMemoize:
			if len(stack) == 0 {
				return nil, fail("corrupt pickle: MEMOIZE on an empty stack")
			}
			memo[len(memo)] = stack[len(stack)-1]
		case opBinPut, opLongBinPut:
			read := u8
			if op == opLongBinPut {
				read = u32
			}
			idx, err := read()
			if err != nil {
				return nil, err
			}
			if len(stack) == 0 {
				return nil, fail("corrupt pickle: PUT on an empty stack")
			}
			memo[idx] = stack[len(stack)-1]
		case opBinGet, opLongBinGet:
			read := u8
			if op == opLongBinGet {
				read = u32
			}
			idx, err := read()
			if err != nil {
				return nil, err
			}
			v, ok := memo[idx]
			if !ok {
				return nil, fail("corrupt pickle: memo %d undefined", idx)
			}
			stack = append(stack, v)
		case opReduce, opNewObj:
			fn, args, err := pop2()
			if err != nil {
				return nil, err
			}
			v, err := reduce(fn, args, fail)
			if err != nil {
				return nil, err
			}
			stack = append(stack, v)
		case opBuild:
			obj, state, err := pop2()
			if err != nil {
				return nil, err
			}
			if err := build(obj, state, fail); err != nil {
				return nil, err
			}
			stack = append(stack, obj)
		default:
			return nil, fail("unsupported pickle opcode 0x%02x: not a dict of NumPy arrays", op)
		}
	}
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

func toArrays(v any, fail func(string, ...any) error) (map[string]*Array, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fail("the pickle holds a %T, not a dict of parameter arrays", v)
	}
	out := map[string]*Array{}
	for k, x := range m {
		a, ok := x.(*arrayT)
		if !ok || a.arr == nil {
			return nil, fail("entry %q is a %T, not a NumPy array", k, x)
		}
		out[k] = a.arr
	}
	return out, nil
}
