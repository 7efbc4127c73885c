package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dlnb/course/dlnb/npyio"
	"github.com/dlnb/course/dlnb/tensor"
)

// SettingsKey is the checkpoint entry holding the run's settings (a JSON
// list of Setting).
const SettingsKey = "train/settings"

// Setting is one setting of a run that changes its result, e.g. {"batch",
// "100"}.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SettingDiff is a setting whose value in a checkpoint differs from the
// current run's. A side that does not record the setting has "".
type SettingDiff struct {
	Name, Saved, Now string
}

// SettingsError reports a checkpoint written by a run with other settings:
// resuming it would mix two runs.
type SettingsError struct {
	Path  string
	Diffs []SettingDiff
}

// Error names each setting with both values and says how to go on.
func (e *SettingsError) Error() string {
	var parts []string
	for _, d := range e.Diffs {
		parts = append(parts, fmt.Sprintf("%s %s there, %s now", d.Name, orNone(d.Saved), orNone(d.Now)))
	}
	return fmt.Sprintf("train: the checkpoint %s was written by a run with other settings (%s): "+
		"run with the saved settings to resume it, or delete it to start over (rm %s)", e.Path, strings.Join(parts, "; "), e.Path)
}

func orNone(v string) string {
	if v == "" {
		return "(not recorded)"
	}
	return v
}

// Settings returns the settings that a checkpoint of this trainer records
// and a resumed run must match: the network, precision, optimizer, batch
// size, sampling, training and test set sizes, how accuracy is measured,
// then Config.Settings (which replace built-in ones of the same name). The
// trainer must have its network and optimizer (Validate).
func (t *Trainer[T]) Settings() []Setting {
	c := t.defaults()
	var zero T
	s := []Setting{
		{"net", t.Net.Spec.Name},
		{"precision", fmt.Sprintf("%T", zero)},
		{"optimizer", t.Opt.Name()},
		{"batch", strconv.Itoa(c.BatchSize)},
		{"shuffle", strconv.FormatBool(c.Shuffle)},
		{"train-samples", strconv.Itoa(rows(t.XTrain))},
		{"test-samples", strconv.Itoa(rows(t.XTest))},
		{"eval-train-samples", t.trainEvalSetting(c)},
		{"batched-accuracy", strconv.Itoa(c.BatchedAccuracy)},
	}
	if c.LRDecay != 0 && c.LRDecay != 1 {
		s = append(s, Setting{"lr-decay", strconv.FormatFloat(c.LRDecay, 'g', -1, 64)})
	}
outer:
	for _, extra := range c.Settings {
		for i := range s {
			if s[i].Name == extra.Name {
				s[i].Value = extra.Value
				continue outer
			}
		}
		s = append(s, extra)
	}
	return s
}

// trainEvalSetting describes on what the training accuracy is measured.
func (t *Trainer[T]) trainEvalSetting(c Config) string {
	if c.TrainEval == TrainOnBatch {
		return "mini-batch"
	}
	n := rows(t.XTrain)
	if c.TrainEvalSamples > 0 && c.TrainEvalSamples < n {
		n = c.TrainEvalSamples
	}
	return strconv.Itoa(n)
}

func rows[T tensor.Float](x *tensor.Tensor[T]) int {
	if x == nil {
		return 0
	}
	return x.Rows()
}

// settingsArray encodes settings as a checkpoint entry.
func settingsArray(s []Setting) *npyio.Array {
	b, _ := json.Marshal(s)
	return bytesArray(b)
}

// savedSettings decodes the settings entry of a checkpoint; ok is false for
// a checkpoint written before settings were recorded.
func savedSettings(st map[string]*npyio.Array, path string) (s []Setting, ok bool, err error) {
	a, ok := st[SettingsKey]
	if !ok {
		return nil, false, nil
	}
	b, isBytes := a.Data.([]uint8)
	if !isBytes || json.Unmarshal(b, &s) != nil {
		return nil, true, &CheckpointError{Path: path, Err: errors.New("corrupt settings entry")}
	}
	return s, true, nil
}

// diffSettings lists the settings whose values differ, in the order of
// saved, then those only now has.
func diffSettings(saved, now []Setting) []SettingDiff {
	nowVal := map[string]string{}
	for _, s := range now {
		nowVal[s.Name] = s.Value
	}
	seen := map[string]bool{}
	var out []SettingDiff
	for _, s := range saved {
		seen[s.Name] = true
		if v := nowVal[s.Name]; v != s.Value {
			out = append(out, SettingDiff{Name: s.Name, Saved: s.Value, Now: v})
		}
	}
	for _, s := range now {
		if !seen[s.Name] && s.Value != "" {
			out = append(out, SettingDiff{Name: s.Name, Now: s.Value})
		}
	}
	return out
}

// valueOf returns the value of the named setting, or "".
func valueOf(s []Setting, name string) string {
	for _, x := range s {
		if x.Name == name {
			return x.Value
		}
	}
	return ""
}
