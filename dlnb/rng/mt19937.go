package rng

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Constants of the Mersenne Twister MT19937 (Matsumoto & Nishimura, 1998).
const (
	stateLen  = 624
	shift     = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// RandomState is a Mersenne Twister generator with NumPy's legacy sampling
// algorithms (numpy.random.RandomState). It is not safe for concurrent use.
type RandomState struct {
	key      [stateLen]uint32
	pos      int
	hasGauss bool
	gauss    float64
}

// Global is the program's shared generator, NumPy's np.random: seeded with 0
// when the program starts, reseeded with Global.Seed. Package np calls it
// np.Random; networks built without a generator of their own draw their
// initial weights from it, as the course's classes draw from np.random.
var Global = New(0)

// New returns a generator seeded like np.random.seed(seed).
func New(seed uint32) *RandomState {
	r := &RandomState{}
	r.Seed(seed)
	return r
}

// Seed resets the generator to the state of np.random.seed(seed)
// (init_genrand of the reference MT19937 implementation).
func (r *RandomState) Seed(seed uint32) {
	for pos := range stateLen {
		r.key[pos] = seed
		seed = 1812433253*(seed^(seed>>30)) + uint32(pos) + 1
	}
	r.pos = stateLen
	r.hasGauss = false
	r.gauss = 0
}

// generate refills the state with the next 624 words.
func (r *RandomState) generate() {
	k := &r.key
	var y uint32
	i := 0
	for ; i < stateLen-shift; i++ {
		y = (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+shift] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	for ; i < stateLen-1; i++ {
		y = (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+shift-stateLen] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	y = (k[stateLen-1] & upperMask) | (k[0] & lowerMask)
	k[stateLen-1] = k[shift-1] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	r.pos = 0
}

// Uint32 returns the next tempered 32-bit output of MT19937.
func (r *RandomState) Uint32() uint32 {
	if r.pos >= stateLen {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Float64 returns a uniform sample in [0, 1) with 53 random bits, like
// np.random.rand / np.random.random_sample.
func (r *RandomState) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// NormFloat64 returns a standard normal sample like np.random.randn: the
// polar Box–Muller method, which produces two values per accepted pair and
// returns the cached second one on the next call.
func (r *RandomState) NormFloat64() float64 {
	if r.hasGauss {
		r.hasGauss = false
		g := r.gauss
		r.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*r.Float64() - 1
		x2 = 2*r.Float64() - 1
		r2 = x1*x1 + x2*x2
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * log(r2) / r2)
	r.gauss = f * x1
	r.hasGauss = true
	return f * x2
}

// mask returns the smallest value of the form 2^k-1 that is >= v.
func mask(v uint32) uint32 {
	v |= v >> 1
	v |= v >> 2
	v |= v >> 4
	v |= v >> 8
	v |= v >> 16
	return v
}

// Intn returns a uniform integer in [0, n) the way np.random.randint(0, n)
// does for int64 output: masked rejection sampling on 32-bit draws. It panics
// if n <= 0 or n > 2^32, which are programmer errors.
func (r *RandomState) Intn(n int) int {
	if n <= 0 || n > 1<<32 {
		panic("rng: Intn: n out of range")
	}
	rng := uint32(n - 1)
	if rng == 0 {
		return 0
	}
	if rng == math.MaxUint32 {
		return int(r.Uint32())
	}
	m := mask(rng)
	for {
		v := r.Uint32() & m
		if v <= rng {
			return int(v)
		}
	}
}

// interval returns a uniform integer in [0, max] (NumPy's random_interval,
// used by shuffle and permutation).
func (r *RandomState) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	m := mask(max)
	for {
		v := r.Uint32() & m
		if v <= max {
			return v
		}
	}
}

// stateSize is the length of MarshalBinary's output.
const stateSize = 4*stateLen + 4 + 1 + 8

// MarshalBinary encodes the full generator state (the 624 words, the
// position and the cached normal sample), so a checkpointed run continues
// with exactly the numbers it would have drawn.
func (r *RandomState) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, stateSize)
	for _, k := range r.key {
		b = binary.LittleEndian.AppendUint32(b, k)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(r.pos))
	if r.hasGauss {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(r.gauss)), nil
}

// UnmarshalBinary restores a state written by MarshalBinary.
func (r *RandomState) UnmarshalBinary(b []byte) error {
	if len(b) != stateSize {
		return fmt.Errorf("rng: state of %d bytes, want %d", len(b), stateSize)
	}
	pos := int(binary.LittleEndian.Uint32(b[4*stateLen:]))
	if pos > stateLen {
		return fmt.Errorf("rng: corrupt state (position %d)", pos)
	}
	for i := range r.key {
		r.key[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	r.pos = pos
	r.hasGauss = b[4*stateLen+4] == 1
	r.gauss = math.Float64frombits(binary.LittleEndian.Uint64(b[4*stateLen+5:]))
	return nil
}
