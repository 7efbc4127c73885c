package nets_test

import (
	"fmt"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/rng"
	"github.com/dlnb/course/dlnb/tensor"
)

// The package doc's update by hand, as the course's loops write it.
func ExampleNet_Gradient() {
	network := nets.NewTwoLayerNet(4, 3, 2, 0.01, nets.WithRand(rng.New(0)))
	xBatch, dBatch := tensor.New[float64](5, 4), tensor.New[float64](5)
	learningRate := 0.1

	grad := network.Gradient(xBatch, dBatch)
	for _, key := range []string{"W1", "W2", "b1", "b2"} {
		network.Params[key].AddScaled(-learningRate, grad[key])
	}
	fmt.Println(len(grad), "gradients")
	// Output: 4 gradients
}
