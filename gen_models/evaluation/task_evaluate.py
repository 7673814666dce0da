"""TRANSITIONAL: runs the task's own `evaluate` (removed once every family has evaluators)."""

from gen_models.evaluation import evaluator


class TaskEvaluate(evaluator.Evaluator):
  name = "task_evaluate"

  def evaluate(self, state, rng, out_dir):
    return self.task.evaluate(state, rng, out_dir)
