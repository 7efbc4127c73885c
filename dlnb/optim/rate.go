package optim

// LearningRater is an optimizer whose learning rate can be read and changed
// between steps, for a schedule such as train.Config.LRDecay. Every
// optimizer of this package is one.
type LearningRater interface {
	LearningRate() float64
	SetLearningRate(lr float64)
}

// LearningRate returns the learning rate.
func (o *SGD[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *SGD[T]) SetLearningRate(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *Momentum[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *Momentum[T]) SetLearningRate(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *Nesterov[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *Nesterov[T]) SetLearningRate(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *AdaGrad[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *AdaGrad[T]) SetLearningRate(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *RMSprop[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *RMSprop[T]) SetLearningRate(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *Adam[T]) LearningRate() float64 { return o.LR }

// SetLearningRate sets the learning rate.
func (o *Adam[T]) SetLearningRate(lr float64) { o.LR = lr }
