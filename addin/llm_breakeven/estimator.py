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

from dataclasses import dataclass

import numpy as np

from .bounds import Bound, number
from .catalogue import find, gpus, models
from .formula import Definition, Numeric
from .quantities import QUANTITIES, Quantity
from .units import (
    BILLIONS,
    BYTES,
    BYTES_EACH,
    BYTES_PER_SECOND,
    COUNT,
    FLOPS,
    FRACTION,
    GIGABYTES,
    PARAMETERS,
    REQUESTS_PER_SECOND,
    SECONDS,
    TERABYTES_PER_SECOND,
    TERAFLOPS,
    TOKENS_PER_SECOND,
    Unit,
)

#: bytes per weight, and per KV-cache value, by precision
WEIGHT_BYTES = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int4": 0.5}
KV_BYTES = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int4": 2.0}
#: 1 where the matrix multiplies run in fp8 (on GPUs with an fp8 peak); int4 weights are
#: multiplied in 16-bit
FP8_MATMUL = {"bf16": 0.0, "fp16": 0.0, "fp8": 1.0, "int4": 0.0}
#: the most sequences a serving engine batches
MAX_BATCH = 256
#: decimals of an estimate a scenario uses (the look-up and the workbook's picker alike)
USED_DIGITS = 1
#: share of the GPUs' memory a serving engine uses for weights and KV cache
MEMORY_USE = 0.90
#: calibrated on data/throughput.csv (see the tests' calibration report)
BANDWIDTH_EFFICIENCY = 0.65
COMPUTE_EFFICIENCY = 0.45
OVERLAP = 0.5
TP_OVERHEAD = 0.05
#: the calibration's worst error (31 %, rounded up): every estimate is stated with this band
BAND = 0.35


#: what an estimate's numeric arguments may be (a request of no output has no throughput)
ARGUMENT_BOUNDS = {
    "gpus_per_replica": Bound(low=1, whole=True),
    "input_tokens": Bound(low=0),
    "output_tokens": Bound(low=1),
    "max_batch": Bound(low=1, whole=True),
}


def requirement(argument: str) -> str:
    """What an estimate's numeric `argument` must be, as its error message says it.

    >>> requirement("output_tokens"), requirement("max_batch")
    ('a number at least 1', 'a whole number at least 1')
    """
    rule = ARGUMENT_BOUNDS[argument]
    return rule.describe() if rule.whole else f"a number {rule.describe()}"


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
    given = {
        "params_b": float(spec["params_b"]),
        "weight_bytes": WEIGHT_BYTES[_precision(precision)],
    }
    return float(Numeric(FUNCTION_DEFINITIONS, given).model_memory_gb)


def _definitions() -> dict[str, Definition]:
    """The estimate as definitions over a model's and GPUs' figures, a request shape and the
    `CONSTANTS` (see the module's docstring): the engine reads them with numpy, the workbook
    as formulas."""
    return {
        "params": lambda q, f: q.params_b * q.per_billion,
        "active_params": lambda q, f: q.active_params_b * q.per_billion,
        "weights_bytes": lambda q, f: q.params * q.weight_bytes,
        "usable_bytes": lambda q, f: q.hbm_gb * q.per_billion * q.gpus_per_replica * q.memory_use,
        "kv_bytes_per_token": lambda q, f: (
            q.kv_tensors * q.layers * q.kv_heads * q.head_dim * q.kv_bytes
        ),
        "kv_bytes_per_sequence": lambda q, f: (
            q.kv_bytes_per_token * (q.input_tokens + q.output_tokens)
        ),
        "kv_room_bytes": lambda q, f: q.usable_bytes - q.weights_bytes,
        # below one, not even a single sequence's KV cache fits beside the weights
        "batch": lambda q, f: f.floor(
            f.minimum(q.max_batch, q.kv_room_bytes / q.kv_bytes_per_sequence)
        ),
        # the GPUs' fp8 peak where the weights are fp8 and the GPU has one, else bf16
        "peak_flops": lambda q, f: (
            f.where(q.fp8_matmul * q.fp8_dense_tflops > 0, q.fp8_dense_tflops, q.bf16_dense_tflops)
            * q.per_tera
            * q.gpus_per_replica
            * q.compute_efficiency
        ),
        "bandwidth": lambda q, f: (
            q.hbm_tb_s * q.per_tera * q.gpus_per_replica * q.bandwidth_efficiency
        ),
        # a mixture of experts: the shared parameters and the experts the batch routes to
        "expert_params": lambda q, f: f.where(
            q.experts > 0,
            (q.params - q.active_params) * q.experts / (q.experts - q.experts_per_token),
            0,
        ),
        "weights_read": lambda q, f: f.where(
            q.experts > 0,
            q.params
            - q.expert_params
            + q.expert_params * (1 - (1 - q.experts_per_token / q.experts) ** q.batch),
            q.params,
        ),
        # a decode step reads the KV cache of half the output on average
        "memory_seconds": lambda q, f: (
            (
                q.weights_read * q.weight_bytes
                + q.batch * (q.input_tokens + q.output_tokens * q.half) * q.kv_bytes_per_token
            )
            / q.bandwidth
        ),
        "compute_seconds": lambda q, f: (
            q.flops_per_parameter * q.active_params * q.batch / q.peak_flops
        ),
        "step_seconds": lambda q, f: (
            (
                f.maximum(q.memory_seconds, q.compute_seconds)
                + q.overlap * f.minimum(q.memory_seconds, q.compute_seconds)
            )
            * (1 + q.tp_overhead * f.log2(q.gpus_per_replica))
        ),
        "prefill_seconds": lambda q, f: (
            q.batch * q.input_tokens * q.flops_per_parameter * q.active_params / q.peak_flops
        ),
        "estimated_tokens_per_second": lambda q, f: (
            q.batch * q.output_tokens / (q.prefill_seconds + q.output_tokens * q.step_seconds)
        ),
    }


#: the estimate's definitions, by the name of what each computes
DEFINITIONS = _definitions()
#: what the Excel functions of the estimate give, over the same figures and definitions (a
#: model that does not fit has no estimate: never)
FUNCTION_DEFINITIONS: dict[str, Definition] = {
    "model_memory_gb": lambda q, f: q.params_b * q.weight_bytes,
    "tokens_per_second_estimate": lambda q, f: f.where(
        q.batch >= 1, q.estimated_tokens_per_second, f.never
    ),
    "throughput_estimate": lambda q, f: f.where(
        q.batch >= 1, q.estimated_tokens_per_second / q.output_tokens, f.never
    ),
}
#: what the definitions read: a model's architecture (models.csv), a GPU's specifications
#: (gpus.csv), the precision's bytes and compute, the GPUs per replica and the request shape
MODEL_FIGURES = ("params_b", "active_params_b", "layers", "kv_heads", "head_dim", "experts",
                 "experts_per_token")  # fmt: skip
GPU_FIGURES = ("hbm_gb", "hbm_tb_s", "bf16_dense_tflops", "fp8_dense_tflops")
PRECISION_FIGURES = {"weight_bytes": WEIGHT_BYTES, "kv_bytes": KV_BYTES, "fp8_matmul": FP8_MATMUL}
#: the constants the definitions read (with `quantities`' "half"), each described once
CONSTANTS = (
    Quantity("per_billion", "A billion", COUNT, "Parameters in a billion, bytes in a GB",
             default=1e9),
    Quantity("per_tera", "A trillion", COUNT, "FLOPs in a TFLOP, bytes in a TB", default=1e12),
    Quantity("kv_tensors", "KV tensors", COUNT, "A key and a value cached per head and layer",
             default=2.0),
    Quantity("flops_per_parameter", "FLOPs per parameter", COUNT,
             "A multiply and an add per active parameter per token", default=2.0),
    Quantity("memory_use", "Memory used", FRACTION,
             "Share of the GPUs' memory a serving engine uses for weights and KV cache",
             default=MEMORY_USE),
    Quantity("bandwidth_efficiency", "Bandwidth efficiency", FRACTION,
             "Share of peak memory bandwidth reached (calibrated)", default=BANDWIDTH_EFFICIENCY),
    Quantity("compute_efficiency", "Compute efficiency", FRACTION,
             "Share of dense peak FLOPs reached (calibrated)", default=COMPUTE_EFFICIENCY),
    Quantity("overlap", "Overlap", FRACTION,
             "Share of the shorter of memory and compute time not hidden under the longer",
             default=OVERLAP),
    Quantity("tp_overhead", "Tensor-parallel overhead", FRACTION,
             "Added to a decode step per doubling of GPUs per replica", default=TP_OVERHEAD),
    Quantity("max_batch", "Largest batch", COUNT, "The most sequences a serving engine batches",
             default=MAX_BATCH),
)  # fmt: skip

#: each figure the definitions read and each quantity they define: its label and unit
LABELS: dict[str, tuple[str, Unit]] = {
    "params_b": ("Parameters", BILLIONS),
    "active_params_b": ("Active parameters (a token)", BILLIONS),
    "layers": ("Layers", COUNT),
    "kv_heads": ("KV heads", COUNT),
    "head_dim": ("Head dimension", COUNT),
    "experts": ("Experts (0: dense)", COUNT),
    "experts_per_token": ("Experts a token routes to", COUNT),
    "hbm_gb": ("GPU memory", GIGABYTES),
    "hbm_tb_s": ("GPU memory bandwidth", TERABYTES_PER_SECOND),
    "bf16_dense_tflops": ("GPU peak, BF16 dense", TERAFLOPS),
    "fp8_dense_tflops": ("GPU peak, FP8 dense (0: none)", TERAFLOPS),
    "weight_bytes": ("Bytes a weight", BYTES_EACH),
    "kv_bytes": ("Bytes a KV-cache value", BYTES_EACH),
    "fp8_matmul": ("Multiplies in FP8 (1: yes)", COUNT),
    "params": ("Parameters", PARAMETERS),
    "active_params": ("Active parameters", PARAMETERS),
    "weights_bytes": ("Weights", BYTES),
    "usable_bytes": ("GPU memory usable", BYTES),
    "kv_bytes_per_token": ("KV cache a token", BYTES),
    "kv_bytes_per_sequence": ("KV cache a sequence", BYTES),
    "kv_room_bytes": ("Memory the weights leave", BYTES),
    "batch": ("Batch (below 1: does not fit)", COUNT),
    "peak_flops": ("Compute, as reached", FLOPS),
    "bandwidth": ("Bandwidth, as reached", BYTES_PER_SECOND),
    "expert_params": ("Parameters in experts", PARAMETERS),
    "weights_read": ("Parameters a decode step reads", PARAMETERS),
    "memory_seconds": ("Decode step, memory time", SECONDS),
    "compute_seconds": ("Decode step, compute time", SECONDS),
    "step_seconds": ("Decode step", SECONDS),
    "prefill_seconds": ("Prefill of a batch", SECONDS),
    "estimated_tokens_per_second": ("Output tokens per second, estimated", TOKENS_PER_SECOND),
    # what the Excel functions give (`FUNCTION_DEFINITIONS`)
    "model_memory_gb": ("Weights in memory", GIGABYTES),
    "tokens_per_second_estimate": ("Output tokens per second, estimated", TOKENS_PER_SECOND),
    "throughput_estimate": ("Requests per second, estimated", REQUESTS_PER_SECOND),
}


def figures(model: str, gpu: str, precision: str) -> dict[str, float]:
    """The catalogue's figures the definitions read, a blank one as 0 (a dense model's
    experts, a GPU without fp8)."""
    m = models()[find(model, models(), "model")]
    g = gpus()[find(gpu, gpus(), "GPU")]
    kind = _precision(precision)
    found = {name: float(m[name] or 0) for name in MODEL_FIGURES}
    found.update({name: float(g[name] or 0) for name in GPU_FIGURES})
    found.update({name: float(table.get(kind, 0)) for name, table in PRECISION_FIGURES.items()})
    return found


def estimate(
    model: str,
    gpu: str,
    gpus_per_replica: float = 1,
    precision: str = "bf16",
    input_tokens: float = 1000,
    output_tokens: float = 250,
    max_batch: float = MAX_BATCH,
) -> Estimate:
    """Output tokens per second of one replica; see the module's docstring.

    >>> round(estimate("Llama 3.1 8B", "H100 SXM", precision="fp8").tokens_per_second)
    7727
    """
    name, chip = find(model, models(), "model"), find(gpu, gpus(), "GPU")
    kind = _precision(precision)
    given = {"gpus_per_replica": gpus_per_replica, "input_tokens": input_tokens,
             "output_tokens": output_tokens, "max_batch": max_batch}  # fmt: skip
    for label, value in given.items():
        rule = ARGUMENT_BOUNDS[label]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not rule.contains(value)
        ):
            shown = number(value) if isinstance(value, int | float) else repr(value)
            raise ValueError(f"{label} must be {requirement(label)} (got {shown})")
    n = int(gpus_per_replica)
    constants = {q.name: float(q.default) for q in CONSTANTS}  # type: ignore[arg-type]
    given = figures(name, chip, kind) | constants | {
        "half": float(QUANTITIES["half"].default),  # type: ignore[arg-type]
        "gpus_per_replica": float(n), "input_tokens": float(input_tokens),
        "output_tokens": float(output_tokens), "max_batch": float(max_batch),
    }  # fmt: skip
    q = Numeric(DEFINITIONS, {k: np.float64(v) for k, v in given.items()})
    with np.errstate(divide="ignore", invalid="ignore"):  # a dense model's expert share
        batch = float(q.batch)
        if batch < 1:
            room, per_sequence, usable = q.kv_room_bytes, q.kv_bytes_per_sequence, q.usable_bytes
            raise DoesNotFit(
                f"{name} at {kind} needs {q.weights_bytes / 1e9:,.1f} GB of weights; {n} x "
                f"{chip} leave {max(room, 0) / 1e9:,.1f} GB of {usable / 1e9:,.1f} GB usable, "
                f"less than one sequence's KV cache ({per_sequence / 1e9:,.2f} GB): add GPUs "
                "or lower the precision"
            )
        tokens = float(q.estimated_tokens_per_second)
        memory, compute = float(q.memory_seconds), float(q.compute_seconds)
    return Estimate(
        model=name, gpu=chip, gpus=n, precision=kind, input_tokens=input_tokens,
        output_tokens=output_tokens, weights_gb=float(q.weights_bytes) / 1e9,
        kv_gb_per_sequence=float(q.kv_bytes_per_sequence) / 1e9,
        usable_gb=float(q.usable_bytes) / 1e9, batch=int(batch),
        step_seconds=float(q.step_seconds), bound="memory" if memory >= compute else "compute",
        tokens_per_second=tokens,
    )  # fmt: skip


def _precision(precision: str) -> str:
    return find(precision, WEIGHT_BYTES, "precision")
