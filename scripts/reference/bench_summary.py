"""Summary of scripts/bench.sh: per workload and system, the median and min-max
images/s over the interleaved rounds, the ratios of medians against the
targets, and (with --busy) each system's slowdown with one core kept busy.

usage: bench_summary.py build/bench/raw.txt
"""
import statistics
import sys
from collections import defaultdict

WORK = ['mlp', 'simpleconv', 'doubleconv', 'deepconv', 'deepconv-infer']
NAMES = {'mlp': 'MLP 784-[100x5]-10 training', 'simpleconv': 'SimpleConvNet training',
         'doubleconv': 'DoubleConvNet training', 'deepconv': 'DeepConvNet training',
         'deepconv-infer': 'DeepConvNet inference'}
SYSTEMS = ['dlnb-f64', 'dlnb-f32', 'numpy-f64', 'torch-eager', 'torch-channels_last', 'torch-compile', 'gomlx']


def main(path):
    head, data = '', defaultdict(list)
    for line in open(path):
        if line.startswith('#'):
            head = line[1:].strip()
            continue
        _, w, s, state, v = line.split()
        data[(w, s, state)].append(float(v))
    rounds = max((len(v) for v in data.values()), default=0)
    print('# dlnb benchmark: %s\n' % head)
    print('Images per second (higher is better): median over the rounds, [min - max].\n')
    present = [s for s in SYSTEMS if any((w, s, 'idle') in data for w in WORK)]
    print('| workload | ' + ' | '.join(present) + ' |')
    print('|---|' + '---|' * len(present))
    med = {}
    for w in WORK:
        if not any((w, s, 'idle') in data for s in present):
            continue
        cells = []
        for s in present:
            v = data.get((w, s, 'idle'))
            if not v:
                cells.append('—')
                continue
            med[(w, s)] = statistics.median(v)
            cells.append('%s [%s - %s]' % (fmt(med[(w, s)]), fmt(min(v)), fmt(max(v))))
        print('| %s | %s |' % (NAMES[w], ' | '.join(cells)))
    print('\nRatios of medians (target in brackets; best PyTorch = the fastest of its configurations here):\n')
    print('| workload | f32 / best PyTorch (>= 1.5) | best PyTorch config | f32 / GoMLX (>= 2) | f64 / NumPy (%s) |' % '>= 10 conv, >= 2 MLP')
    print('|---|---|---|---|---|')
    for w in WORK:
        if (w, 'dlnb-f32') not in med:
            continue
        torch = [(med[(w, s)], s) for s in present if s.startswith('torch') and (w, s) in med]
        best = max(torch) if torch else None
        f32 = med[(w, 'dlnb-f32')]
        col = lambda r, t: '%.2fx %s' % (r, 'ok' if r >= t else 'BELOW')
        tt = col(f32 / best[0], 1.5) if best else '—'
        tg = col(f32 / med[(w, 'gomlx')], 2) if (w, 'gomlx') in med else '—'
        tn = col(med[(w, 'dlnb-f64')] / med[(w, 'numpy-f64')], 2 if w == 'mlp' else 10) \
            if (w, 'dlnb-f64') in med and (w, 'numpy-f64') in med else '—'
        print('| %s | %s | %s | %s | %s |' % (NAMES[w], tt, best[1][6:] if best else '—', tg, tn))
    busy = [(w, s) for w in WORK for s in present if data.get((w, s, 'busy'))]
    if busy:
        print('\nOne core kept busy by another process (a shell busy loop at normal priority): '
              'slowdown = median idle / median busy images/s (1.00x = unaffected, 2.00x = half speed).\n')
        print('| workload | ' + ' | '.join(present) + ' |')
        print('|---|' + '---|' * len(present))
        for w in WORK:
            cells = []
            for s in present:
                i, b = data.get((w, s, 'idle')), data.get((w, s, 'busy'))
                cells.append('%.2fx' % (statistics.median(i) / statistics.median(b)) if i and b else '—')
            if any(c != '—' for c in cells):
                print('| %s | %s |' % (NAMES[w], ' | '.join(cells)))
    print('\n%d rounds; raw lines in %s.' % (rounds, path))


def fmt(v):
    return '{:,.0f}'.format(v) if v >= 100 else '{:.1f}'.format(v)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
