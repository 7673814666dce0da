"""Tasks bind a model family, its objective and optimizers behind the trainer's Task interface."""

from gen_models.tasks.classifier import ClassifierTask
from gen_models.tasks.gan import CriticTask, GANTask
from gen_models.tasks.likelihood import LikelihoodTask

TASKS = {"gan": GANTask, "critic": CriticTask, "classifier": ClassifierTask,
         "likelihood": LikelihoodTask}


def build_task(config, source):
  if config.task not in TASKS:
    raise ValueError(f"unknown task {config.task!r}; known: {sorted(TASKS)}")
  return TASKS[config.task](config, source)


__all__ = ["ClassifierTask", "CriticTask", "GANTask", "LikelihoodTask", "TASKS", "build_task"]
