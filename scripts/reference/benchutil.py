"""Timing and the output line shared by bench_numpy.py and bench_torch.py:
scripts/bench.sh reads the `img/s=` at the end of each line."""
import time


def time_training(head, step, steps, warmup):
    """Runs step() warmup times untimed, then steps times, and prints the line."""
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    el = time.perf_counter() - start
    print('%s mode=train optimizer=Adam batch=100 steps=%d step_ms=%.3f img/s=%.1f'
          % (head, steps, el * 1000 / steps, steps * 100 / el), flush=True)


def time_inference(head, predict, x, batch):
    """Runs predict on the first batch untimed, then over all of x, and prints the line."""
    predict(x[:batch])
    start = time.perf_counter()
    for i in range(0, x.shape[0], batch):
        predict(x[i:i + batch])
    el = time.perf_counter() - start
    print('%s mode=inference images=%d img/s=%.1f' % (head, x.shape[0], x.shape[0] / el), flush=True)
