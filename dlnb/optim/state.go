package optim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dlnb/course/dlnb/npyio"
)

// State returns an optimizer's internal state — the per-parameter buffers
// (Momentum's v, AdaGrad's and RMSprop's h, Adam's m and v) and Adam's step
// count — as named arrays, for checkpoints.
func State[T float32 | float64](o Optimizer[T]) map[string]*npyio.Array {
	out := map[string]*npyio.Array{}
	put := func(kind string, m map[string][]T) {
		for k, v := range m {
			out["optim/"+kind+"/"+k] = &npyio.Array{Shape: []int{len(v)}, Data: append([]T(nil), v...)}
		}
	}
	switch o := o.(type) {
	case *Momentum[T]:
		put("v", o.V)
	case *Nesterov[T]:
		put("v", o.V)
	case *AdaGrad[T]:
		put("h", o.H)
	case *RMSprop[T]:
		put("h", o.H)
	case *Adam[T]:
		put("m", o.M)
		put("v", o.V)
		out["optim/iter"] = &npyio.Array{Shape: []int{}, Data: []int64{int64(o.Iter)}}
	}
	return out
}

// SetState restores a state written by State into an optimizer of the same
// kind.
func SetState[T float32 | float64](o Optimizer[T], arrays map[string]*npyio.Array) error {
	get := func(kind string, dst map[string][]T) error {
		prefix := "optim/" + kind + "/"
		var keys []string
		for k := range arrays {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, ok := arrays[k].Data.([]T)
			if !ok {
				return fmt.Errorf("optim: state %s has element type %T, want %T", k, arrays[k].Data, []T(nil))
			}
			dst[strings.TrimPrefix(k, prefix)] = append([]T(nil), v...)
		}
		return nil
	}
	switch o := o.(type) {
	case *Momentum[T]:
		return get("v", o.V)
	case *Nesterov[T]:
		return get("v", o.V)
	case *AdaGrad[T]:
		return get("h", o.H)
	case *RMSprop[T]:
		return get("h", o.H)
	case *Adam[T]:
		if it, ok := arrays["optim/iter"]; ok {
			v, ok := it.Data.([]int64)
			if !ok || len(v) != 1 {
				return fmt.Errorf("optim: corrupt Adam step count")
			}
			o.Iter = int(v[0])
		}
		if err := get("m", o.M); err != nil {
			return err
		}
		return get("v", o.V)
	}
	return nil
}
