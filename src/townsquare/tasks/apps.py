from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "townsquare.tasks"
    label = "tasks"
    verbose_name = "Background tasks"

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from townsquare.tasks.reliable import forget_running_result, remember_running_result

        task_started.connect(remember_running_result, dispatch_uid="townsquare.tasks.started")
        task_finished.connect(forget_running_result, dispatch_uid="townsquare.tasks.finished")
