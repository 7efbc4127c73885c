package nets

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestFloat64CellsCompileNoFloat32 compiles testdata/float64cell, a typical
// float64 notebook cell (DeepConvNet, Adam, MNIST, a chart, a Trainer), and
// checks that none of the functions compiled for it is a float32
// instantiation. GoNB compiles every cell as a program, and Go compiles all
// methods of each generic type a program instantiates, again in every
// program: one method of a float64 type that returns its float32 twin (as
// Net.Float32, Tensor.Float32 and each optimizer's Float32 did) doubled the
// code compiled per cell and cost about 0.6 s of each cell's build. The
// conversions are functions instead (Float32, np.Float32, optim.Float32).
func TestFloat64CellsCompileNoFloat32(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a program (a few seconds)")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	// -S prints the assembly of the package named on the command line only
	// (cmd/go replays it when the build is cached): one STEXT line per function.
	cmd := exec.Command(goBin, "build", "-o", "/dev/null", "-gcflags=-S", "./testdata/float64cell")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-S ./testdata/float64cell: %v\n%.2000s", err, out)
	}
	var funcs, float64s int
	var float32s []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") || !strings.Contains(line, " STEXT") {
			continue
		}
		name, _, _ := strings.Cut(line, " ")
		funcs++
		if strings.Contains(name, "float64") {
			float64s++
		}
		if strings.Contains(name, "float32") {
			float32s = append(float32s, name)
		}
	}
	if float64s < 100 {
		t.Fatalf("only %d of %d compiled functions are float64 instantiations: the -S listing is not what this test expects\n%.2000s", float64s, funcs, out)
	}
	if len(float32s) > 0 {
		t.Errorf("a float64 cell compiles %d float32 functions of %d, among them\n%s\n"+
			"a method of a generic type probably returns its float32 instantiation: make it a function",
			len(float32s), funcs, strings.Join(float32s[:min(len(float32s), 10)], "\n"))
	}
	t.Logf("%d functions compiled for the cell, %d of them float64 instantiations", funcs, float64s)
}
