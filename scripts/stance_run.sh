#!/usr/bin/env bash
# Start, or resume after a cut, the stance training run in the background: niced, one
# thread, log appended to the run directory (outside the work tree).
#
#     bash scripts/stance_run.sh [RUN] [extra train options]     # RUN defaults to round2
#
# The run directory is $SAYSO_TRAIN_DIR/RUN (default /work/stance-runs/RUN). With a
# checkpoint there the run continues exactly where it was cut (--resume); without one it
# starts. A run whose process is still alive is not started twice.
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:-round2}"
shift || true
dir="${SAYSO_TRAIN_DIR:-/work/stance-runs}/$run"
python="${PYTHON:-/work/main/.venv/bin/python}"
[ -x "$python" ] || python=.venv/bin/python
mkdir -p "$dir"
if [ -f "$dir/train.pid" ] && kill -0 "$(cat "$dir/train.pid")" 2>/dev/null; then
    echo "already running: PID $(cat "$dir/train.pid"), log $dir/train.log"
    exit 0
fi
resume=()
[ -f "$dir/checkpoint.pt" ] && resume=(--resume)
OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nohup nice -n 19 "$python" scripts/train_stance.py train --run "$run" \
    --threads 1 "${resume[@]}" "$@" >> "$dir/train.log" 2>&1 &
echo $! > "$dir/train.pid"
echo "PID $! ${resume[*]:-(new run)}; log $dir/train.log; checkpoints $dir/checkpoint.pt"
