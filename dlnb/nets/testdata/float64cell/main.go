// Command float64cell is what a typical float64 notebook cell builds: the
// course's DeepConvNet trained with Adam on MNIST, its accuracy charted.
// TestFloat64CellsCompileNoFloat32 compiles it and checks that none of the
// generic code it instantiates is float32.
package main

import (
	"context"
	"fmt"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/nb"
	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/np"
	"github.com/dlnb/course/dlnb/optim"
	"github.com/dlnb/course/dlnb/train"
)

func main() {
	xTrain, dTrain, xTest, dTest := nb.LoadMNIST(datasets.Flatten(false))
	np.Random.Seed(0)
	network := nets.NewDeepConvNet(nets.DeepConvNetConfig{})
	optimizer := optim.NewAdam(0.001)
	var accTrain, accTest []float64
	for i := range 20 {
		mask := np.Random.Choice(xTrain.Shape[0], 100)
		grad := network.Gradient(np.Take(xTrain, mask), np.Take(dTrain, mask))
		optimizer.Update(network.Params, grad)
		if (i+1)%10 == 0 {
			accTrain = append(accTrain, network.AccuracyBatched(xTrain, dTrain, 100))
			accTest = append(accTest, network.AccuracyBatched(xTest, dTest, 100))
		}
	}
	nb.Show(chart.Accuracy(chart.Range(0, 20, 10), accTrain, accTest))
	trainer := train.New(network, optimizer, xTrain, dTrain, xTest, dTest, train.Config{Iters: 10, BatchSize: 100})
	fmt.Println(trainer.Run(context.Background()))
}
