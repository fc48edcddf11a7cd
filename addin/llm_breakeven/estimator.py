"""A roofline estimate of serving throughput: how many output tokens per second one replica
of a model on given GPUs generates, and why.

Transparent by design, each step a line of arithmetic:

- **Memory.** The weights take params × bytes per parameter (bf16 2, fp8 1, int4 0.5); of
  the GPUs' memory, `MEMORY_USE` is usable. What the weights leave holds the KV cache: 2 ×
  layers × KV heads × head dimension × bytes (fp8 KV with fp8 weights, else 2) per token,
  (input + output) tokens per sequence. That sets the batch, at most `max_batch`; a model
  whose weights leave no room for one sequence does not fit.
- **Decode.** Each step reads the weights (for a mixture of experts, the experts the batch
  touches) and the batch's KV cache at the GPUs' bandwidth × `BANDWIDTH_EFFICIENCY`, and does
  2 × active params FLOPs per sequence at the peak × `COMPUTE_EFFICIENCY`; the step takes the
  longer of the two plus `OVERLAP` of the shorter, and `TP_OVERHEAD` more per doubling of
  tensor-parallel GPUs.
- **Prefill.** Every sequence's input costs 2 × active params FLOPs a token, at the same
  compute efficiency.
- A batch turns over in prefill + output × step: the throughput is batch × output tokens over
  that time, for the whole replica.

The efficiency factors are calibrated on published measurements (data/throughput.csv); the
tests print every point's estimate, measurement and ratio and hold the median error within
25 % and the worst within 50 % (on 2026-12-02: median 12 %, worst 31 %, over 14 points;
the factors were fitted on the same points, so new hardware and engines may miss by more).
Every estimate carries its band (`BAND`).

>>> e = estimate("Llama 3.1 8B", "H100 SXM", precision="fp8", input_tokens=1000,
...              output_tokens=1000)
>>> e.batch, round(e.tokens_per_second, -2) > 10_000
(256, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bounds import number
from .catalogue import find, gpus, models

#: bytes per weight, and per KV-cache value, by precision
WEIGHT_BYTES = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int4": 0.5}
KV_BYTES = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int4": 2.0}
#: share of the GPUs' memory a serving engine uses for weights and KV cache
MEMORY_USE = 0.90
#: calibrated on data/throughput.csv (see the tests' calibration report)
BANDWIDTH_EFFICIENCY = 0.65
COMPUTE_EFFICIENCY = 0.45
OVERLAP = 0.5
TP_OVERHEAD = 0.05
#: the calibration's worst error (31 %, rounded up): every estimate is stated with this band
BAND = 0.35


@dataclass(frozen=True)
class Estimate:
    """A throughput estimate and the figures behind it (memory in GB, times in seconds)."""

    model: str
    gpu: str
    gpus: int
    precision: str
    input_tokens: float
    output_tokens: float
    weights_gb: float
    kv_gb_per_sequence: float
    usable_gb: float
    batch: int
    step_seconds: float
    bound: str
    tokens_per_second: float

    @property
    def requests_per_second(self) -> float:
        return self.tokens_per_second / self.output_tokens

    @property
    def band(self) -> tuple[float, float]:
        """The output tokens per second the estimate's known error allows, low to high."""
        return self.tokens_per_second / (1 + BAND), self.tokens_per_second * (1 + BAND)


class DoesNotFit(ValueError):
    """A model whose weights leave no room for one sequence's KV cache."""


def model_memory_gb(model: str, precision: str = "bf16") -> float:
    """GB the weights of `model` take at `precision`.

    >>> round(model_memory_gb("Llama 3.3 70B", "fp8"), 1)
    70.5
    """
    spec = models()[find(model, models(), "model")]
    return float(spec["params_b"]) * WEIGHT_BYTES[_precision(precision)]


def estimate(
    model: str,
    gpu: str,
    gpus_per_replica: int = 1,
    precision: str = "bf16",
    input_tokens: float = 1000,
    output_tokens: float = 250,
    max_batch: int = 256,
) -> Estimate:
    """Output tokens per second of one replica; see the module's docstring."""
    name, chip = find(model, models(), "model"), find(gpu, gpus(), "GPU")
    m, g = models()[name], gpus()[chip]
    kind = _precision(precision)
    checks = (("gpus_per_replica", gpus_per_replica, 1), ("input_tokens", input_tokens, 0),
              ("output_tokens", output_tokens, 1), ("max_batch", max_batch, 1))  # fmt: skip
    for label, value, low in checks:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= low:
            shown = number(value) if isinstance(value, int | float) else repr(value)
            raise ValueError(f"{label} must be a number at least {low} (got {shown})")
    n = int(gpus_per_replica)
    params, active = float(m["params_b"]) * 1e9, float(m["active_params_b"]) * 1e9
    layers, kv_heads, head_dim = int(m["layers"]), int(m["kv_heads"]), int(m["head_dim"])
    weights = params * WEIGHT_BYTES[kind]
    usable = float(g["hbm_gb"]) * 1e9 * n * MEMORY_USE
    kv_token = 2 * layers * kv_heads * head_dim * KV_BYTES[kind]
    per_sequence = kv_token * (input_tokens + output_tokens)
    room = usable - weights
    if room < per_sequence:
        raise DoesNotFit(
            f"{name} at {kind} needs {weights / 1e9:,.1f} GB of weights; {n} x {chip} leave "
            f"{max(room, 0) / 1e9:,.1f} GB of {usable / 1e9:,.1f} GB usable, less than one "
            f"sequence's KV cache ({per_sequence / 1e9:,.2f} GB): add GPUs or lower the precision"
        )
    batch = int(min(max_batch, room // per_sequence))
    peak = _peak_flops(g, kind) * n * COMPUTE_EFFICIENCY
    bandwidth = float(g["hbm_tb_s"]) * 1e12 * n * BANDWIDTH_EFFICIENCY
    context = input_tokens + output_tokens / 2
    read = _weights_read(m, batch) * WEIGHT_BYTES[kind] + batch * context * kv_token
    memory_time = read / bandwidth
    compute_time = 2 * active * batch / peak
    step = max(memory_time, compute_time) + OVERLAP * min(memory_time, compute_time)
    step *= 1 + TP_OVERHEAD * math.log2(n)
    prefill = batch * input_tokens * 2 * active / peak
    tokens = batch * output_tokens / (prefill + output_tokens * step)
    return Estimate(
        model=name, gpu=chip, gpus=n, precision=kind, input_tokens=input_tokens,
        output_tokens=output_tokens, weights_gb=weights / 1e9,
        kv_gb_per_sequence=per_sequence / 1e9, usable_gb=usable / 1e9, batch=batch,
        step_seconds=step, bound="memory" if memory_time >= compute_time else "compute",
        tokens_per_second=tokens,
    )  # fmt: skip


def _precision(precision: str) -> str:
    return find(precision, WEIGHT_BYTES, "precision")


def _peak_flops(gpu: dict[str, str], precision: str) -> float:
    """Dense peak FLOP/s at the precision the matrix multiplies run in (int4 weights are
    multiplied in 16-bit; fp8 falls back to bf16 on GPUs without it)."""
    if precision == "fp8" and gpu["fp8_dense_tflops"]:
        return float(gpu["fp8_dense_tflops"]) * 1e12
    return float(gpu["bf16_dense_tflops"]) * 1e12


def _weights_read(model: dict[str, str], batch: int) -> float:
    """Parameters one decode step reads: all of a dense model; of a mixture of experts, the
    shared ones and the experts that `batch` sequences' tokens route to (expected share)."""
    params, active = float(model["params_b"]) * 1e9, float(model["active_params_b"]) * 1e9
    if not model["experts"]:
        return params
    experts, chosen = int(model["experts"]), int(model["experts_per_token"])
    expert_total = (params - active) * experts / (experts - chosen)
    shared = params - expert_total
    touched = 1 - (1 - chosen / experts) ** batch
    return shared + expert_total * touched
