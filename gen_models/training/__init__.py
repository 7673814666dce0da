"""Train state, the Task interface, the one trainer, checkpointing, metrics and run directories."""
