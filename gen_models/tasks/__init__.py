"""Tasks bind a model family, its objective and optimizers behind the trainer's Task interface."""

from gen_models.tasks.classifier import ClassifierTask
from gen_models.tasks.gan import CriticTask, GANTask
from gen_models.tasks.hierarchical_pixelvae import HierarchicalPixelVAETask
from gen_models.tasks.likelihood import LikelihoodTask

HIERARCHICAL_MODEL = "hierarchical_pixelvae"
TASKS = {"gan": GANTask, "critic": CriticTask, "classifier": ClassifierTask,
         "likelihood": LikelihoodTask}


def build_task(config, source):
  if config.task not in TASKS:
    raise ValueError(f"unknown task {config.task!r}; known: {sorted(TASKS)}")
  if config.task == "likelihood" and config.model.name == HIERARCHICAL_MODEL:
    # the likelihood family with batch-norm state (tasks/hierarchical_pixelvae.py)
    return HierarchicalPixelVAETask(config, source)
  return TASKS[config.task](config, source)


__all__ = ["ClassifierTask", "CriticTask", "GANTask", "HierarchicalPixelVAETask", "LikelihoodTask", "TASKS", "build_task"]
