/**
 * SWE-bench's images run their tests in conda's `testbed` environment: the lines that activate it. The evaluation
 * script (`harness/swe-bench/eval-script.ts`) runs them, and so does every shell of a container sandbox.
 */
export const CONDA_ACTIVATE = ["source /opt/miniconda3/bin/activate", "conda activate testbed"] as const;
