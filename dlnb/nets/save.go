package nets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
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

// InfoKey is the .npz entry holding a ModelInfo (JSON bytes): how the model
// was trained. NumPy users can ignore it.
const InfoKey = "__dlnb_info__"

// ModelInfo records how a saved model was made, so that evaluating it later
// uses the right data.
type ModelInfo struct {
	Dataset      string `json:"dataset"`             // "mnist" or "fashion"
	Net          string `json:"net"`                 // dlnb train's -net name, e.g. "simpleconv"
	Precision    string `json:"precision"`           // "float32" or "float64"
	Seed         int64  `json:"seed"`                // the random seed
	Iters        int    `json:"iters"`               // training iterations done
	Optimizer    string `json:"optimizer,omitempty"` // e.g. "Adam(lr=0.001, beta1=0.9, beta2=0.999)"
	TrainSamples int    `json:"train_samples,omitempty"`
}

// Save writes the network to an .npz file (atomically) that np.load reads:
// np.load(path)["W1"] is the W1 of the course's params dict.
func (n *Net[T]) Save(path string) error { return n.SaveWithInfo(path, nil) }

// SaveWithInfo is Save with a record of how the model was trained (when info
// is not nil), which ReadInfo returns.
func (n *Net[T]) SaveWithInfo(path string, info *ModelInfo) error {
	st, err := n.State()
	if err != nil {
		return err
	}
	if info != nil {
		b, err := json.Marshal(info)
		if err != nil {
			return err
		}
		st[InfoKey] = &npyio.Array{Shape: []int{len(b)}, Data: b}
	}
	if err := npyio.WriteNPZ(path, st); err != nil {
		return fmt.Errorf("%s: saving: %w", n.Spec.Name, err)
	}
	return nil
}

// ReadInfo returns the ModelInfo saved with arrays (as ReadParams returns
// them), or nil when there is none (a model from before dlnb recorded it, or
// parameters saved by NumPy).
func ReadInfo(arrays map[string]*npyio.Array, source string) (*ModelInfo, error) {
	raw, ok := arrays[InfoKey]
	if !ok {
		return nil, nil
	}
	b, ok := raw.Data.([]uint8)
	var info ModelInfo
	if !ok || json.Unmarshal(b, &info) != nil {
		return nil, fmt.Errorf("nets: %s: the %s entry (how the model was trained) is corrupt", source, InfoKey)
	}
	return &info, nil
}

// CheckFinite returns an error naming the parameters that hold NaN or
// infinite values: such a model's scores mean nothing.
func (n *Net[T]) CheckFinite() error {
	if n == nil {
		return errNilNet
	}
	var bad []string
	for _, name := range n.ParamNames {
		nan, inf := 0, 0
		for _, v := range n.Params[name].Data {
			switch f := float64(v); {
			case math.IsNaN(f):
				nan++
			case math.IsInf(f, 0):
				inf++
			}
		}
		if nan+inf > 0 {
			bad = append(bad, fmt.Sprintf("%s has %d NaN and %d infinite values of %d", name, nan, inf, n.Params[name].Size()))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: the weights are not finite (%s): the training diverged", n.Spec.Name, strings.Join(bad, "; "))
	}
	return nil
}

// ReadParams reads parameter arrays from an .npz archive or from a pickled
// dict of arrays (the book's/course's save_params), by file content.
func ReadParams(path string) (map[string]*npyio.Array, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("nets: %w", err)
	} else if st.IsDir() {
		return nil, folderError(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nets: %w", err)
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
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

// folderError says that path is a folder, pointing at the model inside when
// there is one.
func folderError(path string) error {
	for _, name := range []string{"model.npz", "checkpoint.npz"} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return fmt.Errorf("nets: %s is a folder, not a model file: use the %s inside it (%s)", path, name, filepath.Join(path, name))
		}
	}
	return fmt.Errorf("nets: %s is a folder, not a model file, and holds no model.npz: give the path of a .npz or .pkl file", path)
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
		have := paramNames(arrays)
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
// in precision T, drawing future dropout masks from r. A file with
// parameters only (the book's save_params pickle, an np.savez of the params
// dict) is reported as such: build the network and call its LoadParams.
func Load[T tensor.Float](path string, r *rng.RandomState) (*Net[T], error) {
	arrays, err := ReadParams(path)
	if err != nil {
		return nil, err
	}
	return Rebuild[T](arrays, path, r)
}

// Rebuild is Load for arrays already read (ReadParams); source names them in
// error messages.
func Rebuild[T tensor.Float](arrays map[string]*npyio.Array, source string, r *rng.RandomState) (*Net[T], error) {
	raw, ok := arrays[SpecKey]
	if !ok {
		return nil, &ParamsOnlyError{Path: source, Names: paramNames(arrays)}
	}
	b, ok := raw.Data.([]uint8)
	if !ok {
		return nil, fmt.Errorf("nets: %s: corrupt architecture entry", source)
	}
	var spec Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, fmt.Errorf("nets: %s: corrupt architecture entry: %w", source, err)
	}
	params := map[string]*tensor.Tensor[T]{}
	for _, ls := range spec.Layers {
		for _, name := range ls.Params {
			a, ok := arrays[name]
			if !ok {
				return nil, fmt.Errorf("nets: %s: parameter %s missing", source, name)
			}
			var err error
			if params[name], err = npyio.ToTensor[T](a); err != nil {
				return nil, fmt.Errorf("nets: %s: %s: %w", source, name, err)
			}
		}
	}
	n, err := Build(spec, params, r)
	if err != nil {
		return nil, fmt.Errorf("nets: %s: %w", source, err)
	}
	return n, n.SetState(arrays, source)
}

// ParamsOnlyError reports a file holding parameters but no architecture,
// such as the book's params.pkl: the network must be built first.
type ParamsOnlyError struct {
	Path  string
	Names []string // the arrays in the file, sorted
}

// Error says what the file holds and how to load it.
func (e *ParamsOnlyError) Error() string {
	return fmt.Sprintf("nets: %s holds parameters only (%s), not the network's architecture: "+
		"build the network (e.g. nets.NewSimpleConvNet) and call its LoadParams(%q)", e.Path, strings.Join(e.Names, ", "), e.Path)
}

// paramNames lists the arrays of a file, without dlnb's own entries.
func paramNames(arrays map[string]*npyio.Array) []string {
	var names []string
	for k := range arrays {
		if k != SpecKey && k != InfoKey {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}
