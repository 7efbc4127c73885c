package nb

import (
	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/tensor"
)

// LoadMNIST is the course's load_mnist for notebook cells:
//
//	xTrain, dTrain, xTest, dTest := nb.LoadMNIST(datasets.Normalize(true), datasets.OneHotLabel(true))
//
// ((x_train, d_train), (x_test, d_test) = load_mnist(normalize=True,
// one_hot_label=True)). A dataset that cannot be read stops the cell with the
// reason and what to do (see Check).
func LoadMNIST(opts ...datasets.Option) (xTrain, dTrain, xTest, dTest *tensor.Tensor[float64]) {
	return split(datasets.LoadMNIST(opts...))
}

// LoadFashionMNIST is LoadMNIST for Fashion-MNIST (clothes instead of digits,
// the same shapes).
func LoadFashionMNIST(opts ...datasets.Option) (xTrain, dTrain, xTest, dTest *tensor.Tensor[float64]) {
	return split(datasets.LoadFashionMNIST(opts...))
}

func split(ds *datasets.Dataset, err error) (xTrain, dTrain, xTest, dTest *tensor.Tensor[float64]) {
	Check(err)
	return ds.Train.X, ds.Train.D, ds.Test.X, ds.Test.D
}
