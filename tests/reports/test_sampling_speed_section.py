"""The sampling-speed section from a fabricated job record: both models' times, the speed-up,
and the two verdicts (same samples, faster), flipping with the numbers; 'not run' without it."""

from fake_records import context, single_run
from gen_models.reports import sampling_speed


def _timing(naive_s, cached_s, identical=True, **sizes):
  return dict(naive_s=naive_s, cached_s=cached_s, naive_compile_s=2.5, cached_compile_s=2.6,
              speedup=naive_s / cached_s, identical=identical, mean_value=0.5, **sizes)


def _ctx(tmp_path, naive_s=10.0, identical=True):
  results = {"gated_pixelcnn": _timing(naive_s, 0.5, identical, num_samples=16, size=28,
                                       layers=12, channels=32),
             "hierarchical": _timing(24.68, 0.98, num_samples=4, latent_layers=4,
                                     latent_channels=16, pixel_layers=4, pixel_channels=24),
             "device": "cpu (cpu)"}
  path = single_run(tmp_path / "job", results, num_steps=0,
                    config={"job": {"name": "sampling_speed"}})
  return context(tmp_path, sampling_speed.KEY, [(sampling_speed.EXPERIMENT, path)])


def test_times_speedup_and_verdicts(tmp_path):
  section = sampling_speed.render(_ctx(tmp_path))
  assert ("| Gated PixelCNN, 16 samples of 28x28 binary pixels, 12 layers x 32 channels | "
          "10.000 | 0.500 | 2.5 / 2.6 | 20.0x | yes |") in section.body
  assert "| 24.680 | 0.980 | 2.5 / 2.6 | 25.2x | yes |" in section.body
  assert [c.verdict for c in section.claims] == ["holds", "holds"]


def test_verdicts_flip(tmp_path):
  section = sampling_speed.render(_ctx(tmp_path, naive_s=0.4, identical=False))
  assert [c.verdict for c in section.claims] == ["does not hold", "does not hold"]


def test_not_run(tmp_path):
  ctx = context(tmp_path, sampling_speed.KEY, [(sampling_speed.EXPERIMENT, tmp_path / "none")])
  assert [c.verdict for c in sampling_speed.render(ctx).claims] == ["not run", "not run"]
  assert [c.verdict for c in sampling_speed.render(context(tmp_path, "x", [])).claims] == \
      ["not run", "not run"]
