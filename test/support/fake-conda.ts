/**
 * A fake Miniconda, activated exactly as SWE-bench's instance images activate theirs: the harness's `eval.sh` runs
 * `source /opt/miniconda3/bin/activate` then `conda activate testbed`, and `/root/.bashrc` sources
 * `/opt/miniconda3/etc/profile.d/conda.sh` then runs `conda activate testbed`. Sourcing either file defines a
 * `conda` shell function (activating the `base` environment when it is `bin/activate`, as Miniconda does);
 * `conda activate NAME` puts `/opt/miniconda3/envs/NAME/bin` first on PATH and sets `CONDA_DEFAULT_ENV`,
 * `CONDA_PREFIX` and `CONDA_SHLVL`. The `testbed` environment's `python` is `/usr/bin/python3` reached through
 * `/opt/miniconda3/envs/testbed/bin/python`, so a test can prove activation happened (`command -v python`).
 */

const CONDA_SH = `# swe-review test fixture: a fake conda. Sourcing this defines the conda shell function.
_CONDA_ROOT=/opt/miniconda3
export CONDA_EXE="$_CONDA_ROOT/bin/conda"
_conda_strip_path() {
  if [ -n "\${CONDA_PREFIX:-}" ]; then
    PATH=":$PATH:"
    PATH="\${PATH//:$CONDA_PREFIX\\/bin:/:}"
    PATH="\${PATH#:}"
    PATH="\${PATH%:}"
  fi
}
conda() {
  case "\${1:-}" in
    activate)
      local name="\${2:-base}" prefix
      if [ "$name" = base ]; then prefix="$_CONDA_ROOT"; else prefix="$_CONDA_ROOT/envs/$name"; fi
      if [ ! -d "$prefix/bin" ]; then
        echo "EnvironmentNameNotFound: Could not find conda environment: $name" >&2
        return 1
      fi
      _conda_strip_path
      export PATH="$prefix/bin:$PATH"
      export CONDA_PREFIX="$prefix" CONDA_DEFAULT_ENV="$name" CONDA_SHLVL=$(( \${CONDA_SHLVL:-0} + 1 ))
      hash -r
      ;;
    deactivate)
      _conda_strip_path
      unset CONDA_PREFIX CONDA_DEFAULT_ENV
      export CONDA_SHLVL=0
      hash -r
      ;;
    *)
      "$CONDA_EXE" "$@"
      ;;
  esac
}
`;

const ACTIVATE = `# swe-review test fixture: \`source /opt/miniconda3/bin/activate [ENV]\`, as Miniconda's.
. /opt/miniconda3/etc/profile.d/conda.sh
conda activate "\${1:-base}"
`;

const CONDA_BIN = `#!/bin/sh
# swe-review test fixture: the fake conda's executable; environments are switched by the conda shell function.
case "$1" in
  env|info) echo "# conda environments:"; echo "base                     /opt/miniconda3"; echo "testbed                  /opt/miniconda3/envs/testbed" ;;
  --version) echo "conda 23.11.0 (swe-review test fixture)" ;;
  *) echo "fake conda (swe-review test fixture): only activate, deactivate, env list and --version" >&2; exit 1 ;;
esac
`;

/** The Dockerfile lines and files (relative to the build context) that install the fake conda on a Debian base. */
export function fakeCondaFiles(): Record<string, { content: string; mode: number }> {
  return {
    "conda/etc/profile.d/conda.sh": { content: CONDA_SH, mode: 0o644 },
    "conda/bin/activate": { content: ACTIVATE, mode: 0o644 },
    "conda/bin/conda": { content: CONDA_BIN, mode: 0o755 },
  };
}

/** Dockerfile steps installing `fakeCondaFiles()` under /opt/miniconda3, with SWE-bench's `/root/.bashrc`. */
export const FAKE_CONDA_STEPS = [
  "COPY conda /opt/miniconda3",
  "RUN mkdir -p /opt/miniconda3/envs/testbed/bin" +
    " && ln -s /usr/bin/python3 /opt/miniconda3/envs/testbed/bin/python" +
    " && ln -s /usr/bin/python3 /opt/miniconda3/envs/testbed/bin/python3" +
    " && ln -s /usr/bin/python3 /opt/miniconda3/bin/python" +
    ` && echo "source /opt/miniconda3/etc/profile.d/conda.sh && conda activate testbed" > /root/.bashrc`,
];
