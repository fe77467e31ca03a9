from django.apps import AppConfig


class ReimbursementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reimbursements"
    verbose_name = "FBA reimbursements"

    def ready(self) -> None:
        # The claim deadlines run on the desk's one SLA sweep (tickets.sla.sweep).
        from tickets.sla.sweep import deadline_clock_register

        from .clock import reimbursement_deadline_sweep

        deadline_clock_register(reimbursement_deadline_sweep)
