// Package nets holds the course's networks as one sequential Net type with
// named parameters: TwoLayerNet (lesson 2_1), MultiLayerNet (the lesson's
// class with activation, weight initialisation, weight decay, dropout and
// batch normalisation options), SimpleConvNet (2_6), DoubleConvNet in its base
// and "_after" architectures (2_7) and DeepConvNet (2_8), in lessons.go;
// LeNet-5 and AlexNet-style networks (2_9) in classic.go; any sequential
// stack of layers with Sequential (builder.go).
//
// Every Net has Predict, Loss, Accuracy (also the course's batched accuracy)
// and Gradient (backpropagation). Its parameters are the map Params (W1, b1,
// …, gamma1, beta1, …), shared with the layers, so a notebook can update them
// by hand the way the course's loops do:
//
//	grad := network.Gradient(xBatch, dBatch)
//	for _, key := range []string{"W1", "W2", "b1", "b2"} {
//		network.Params[key].AddScaled(-learningRate, grad[key])
//	}
//
// (ExampleNet_Gradient runs it.) Initial weights are drawn in float64 from the given *rng.RandomState in the
// course's order, so a seed reproduces NumPy's initial weights exactly; the
// float32 version of a net (Convert) starts from the same values.
package nets
