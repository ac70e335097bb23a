#!/bin/bash
# A Sobol study of the Middle Corridor's emergence time as a Slurm job
# array: each array task runs one shard of the same sample plan
# (--shard auto/N reads SLURM_ARRAY_TASK_ID, 0 to N-1) and writes
# shards/shard-K-of-N.json; a job that depends on the array merges them
# into the report, the same bit for bit as one unsharded run. Submit from
# the repository's root, with stockflow on the PATH
# (go install ./cmd/stockflow):
#
#     mkdir -p shards   # Slurm opens the --output files before the script runs
#     jobid=$(sbatch --parsable examples/cluster/corridor-slurm.sh)
#     sbatch --dependency=afterok:$jobid --wrap \
#         'stockflow sensitivity merge shards --json -o corridor-sobol > corridor-sobol.json'
#
#SBATCH --job-name=corridor-sensitivity
#SBATCH --array=0-9
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=shards/slurm-%A_%a.out
set -euo pipefail
mkdir -p shards
# N is the array's size, so that --array alone decides the number of shards.
stockflow sensitivity examples/middle-corridor/corridor.toml \
	--method sobol --samples 4096 --outputs coordination@2030 --seed 1 \
	--workers "${SLURM_CPUS_PER_TASK:-1}" \
	--shard "auto/${SLURM_ARRAY_TASK_COUNT}" -o shards
