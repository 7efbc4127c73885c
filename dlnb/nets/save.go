package nets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/dlnb/course/dlnb/layers"
	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// SpecKey is the .npz entry holding the network's architecture (Spec as
// JSON bytes); NumPy users can ignore it.
const SpecKey = "__dlnb_spec__"

// State returns the network's saveable state: its parameters by name (W1,
// b1, …, the names the course's params dict uses), each batch-norm layer's
// running statistics ("BatchNorm1/running_mean", …) and the architecture.
func (n *Net[T]) State() (map[string]*npyio.Array, error) {
	out := map[string]*npyio.Array{}
	for name, p := range n.Params {
		out[name] = npyio.FromTensor(p)
	}
	for _, l := range n.Layers {
		if bn, ok := l.Layer.(*layers.BatchNormalization[T]); ok && bn.RunningMean != nil {
			out[l.Name+"/running_mean"] = npyio.FromTensor(bn.RunningMean)
			out[l.Name+"/running_var"] = npyio.FromTensor(bn.RunningVar)
		}
	}
	spec, err := json.Marshal(n.Spec)
	if err != nil {
		return nil, err
	}
	out[SpecKey] = &npyio.Array{Shape: []int{len(spec)}, Data: spec}
	return out, nil
}

// Save writes the network to an .npz file (atomically) that np.load reads:
// np.load(path)["W1"] is the W1 of the course's params dict.
func (n *Net[T]) Save(path string) error {
	st, err := n.State()
	if err != nil {
		return err
	}
	if err := npyio.WriteNPZ(path, st); err != nil {
		return fmt.Errorf("%s: saving: %w", n.Spec.Name, err)
	}
	return nil
}

// ReadParams reads parameter arrays from an .npz archive or from a pickled
// dict of arrays (the book's/course's save_params), by file content.
func ReadParams(path string) (map[string]*npyio.Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nets: %w", err)
	}
	head := make([]byte, 4)
	n, _ := f.Read(head)
	f.Close()
	switch {
	case n >= 4 && bytes.Equal(head, []byte("PK\x03\x04")):
		return npyio.ReadNPZ(path)
	case n >= 1 && head[0] == 0x80:
		return npyio.ReadPickle(path)
	case n == 0:
		return nil, fmt.Errorf("nets: %s is empty", path)
	}
	return nil, fmt.Errorf("nets: %s is neither an .npz archive nor a pickle of parameters", path)
}

// LoadParams copies saved parameters into the network (the tensors the
// layers use are updated in place). Every parameter must be present with the
// network's shape; batch-norm running statistics are restored when saved.
func (n *Net[T]) LoadParams(path string) error {
	arrays, err := ReadParams(path)
	if err != nil {
		return err
	}
	return n.SetState(arrays, path)
}

// SetState copies arrays (as State returns them) into the network; source
// names the origin in error messages.
func (n *Net[T]) SetState(arrays map[string]*npyio.Array, source string) error {
	var missing, wrong []string
	for _, name := range n.ParamNames {
		a, ok := arrays[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		p := n.Params[name]
		if !tensor.SameShape(a.Shape, p.Shape) {
			wrong = append(wrong, fmt.Sprintf("%s is %s in the file, %s in the network", name, tensor.ShapeString(a.Shape), tensor.ShapeString(p.Shape)))
		}
	}
	if len(missing) > 0 || len(wrong) > 0 {
		var have []string
		for k := range arrays {
			if k != SpecKey {
				have = append(have, k)
			}
		}
		sort.Strings(have)
		msg := fmt.Sprintf("%s: %s does not fit this network", n.Spec.Name, source)
		if len(missing) > 0 {
			msg += "; missing " + strings.Join(missing, ", ") + " (the file has " + strings.Join(have, ", ") + ")"
		}
		if len(wrong) > 0 {
			msg += "; " + strings.Join(wrong, "; ")
		}
		return fmt.Errorf("%s", msg)
	}
	for _, name := range n.ParamNames {
		t, err := npyio.ToTensor[T](arrays[name])
		if err != nil {
			return fmt.Errorf("%s: %s: %w", source, name, err)
		}
		copy(n.Params[name].Data, t.Data)
	}
	for _, l := range n.Layers {
		bn, ok := l.Layer.(*layers.BatchNormalization[T])
		if !ok {
			continue
		}
		m, ok1 := arrays[l.Name+"/running_mean"]
		v, ok2 := arrays[l.Name+"/running_var"]
		if !ok1 || !ok2 {
			continue
		}
		rm, err := npyio.ToTensor[T](m)
		var rv *tensor.Tensor[T]
		if err == nil {
			rv, err = npyio.ToTensor[T](v)
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %w", source, l.Name, err)
		}
		bn.RunningMean, bn.RunningVar = rm, rv
	}
	return nil
}

// Load rebuilds a network saved with Save — architecture and parameters —
// in precision T, drawing future dropout masks from r.
func Load[T tensor.Float](path string, r *rng.RandomState) (*Net[T], error) {
	arrays, err := npyio.ReadNPZ(path)
	if err != nil {
		return nil, err
	}
	raw, ok := arrays[SpecKey]
	if !ok {
		return nil, fmt.Errorf("nets: %s has no %s entry: it was not written by dlnb (load its parameters into a network you build with LoadParams)", path, SpecKey)
	}
	b, ok := raw.Data.([]uint8)
	if !ok {
		return nil, fmt.Errorf("nets: %s: corrupt architecture entry", path)
	}
	var spec Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, fmt.Errorf("nets: %s: corrupt architecture entry: %w", path, err)
	}
	params := map[string]*tensor.Tensor[T]{}
	for _, ls := range spec.Layers {
		for _, name := range ls.Params {
			a, ok := arrays[name]
			if !ok {
				return nil, fmt.Errorf("nets: %s: parameter %s missing", path, name)
			}
			if params[name], err = npyio.ToTensor[T](a); err != nil {
				return nil, fmt.Errorf("nets: %s: %s: %w", path, name, err)
			}
		}
	}
	n, err := Build(spec, params, r)
	if err != nil {
		return nil, fmt.Errorf("nets: %s: %w", path, err)
	}
	return n, n.SetState(arrays, path)
}
