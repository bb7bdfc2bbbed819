from django.urls import path, register_converter

from cases import views


class ReferenceConverter:
    regex = r"GW-\d{4}-\d{4,6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "ref")

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_new, name="new"),
    path("<ref:reference>/", views.case_detail, name="detail"),
    path("<ref:reference>/stap/<slug:key>/", views.case_step, name="step"),
    path("<ref:reference>/screening/", views.case_screening, name="screening"),
    path("<ref:reference>/advies/", views.case_consult, name="consult"),
    path("<ref:reference>/doorgaan/", views.case_go_ahead, name="go_ahead"),
    path("<ref:reference>/gegevens/", views.case_details, name="details"),
    path("<ref:reference>/delen/", views.case_sharing, name="sharing"),
    path("<ref:reference>/plan/", views.case_plan_view, name="plan"),
    path("<ref:reference>/plan.pdf", views.case_plan_pdf, name="plan_pdf"),
    path("<ref:reference>/geschiedenis/", views.case_history, name="history"),
    path("<ref:reference>/logboek/", views.case_log_view, name="log"),
    path("<ref:reference>/afronden/", views.case_close, name="close"),
    path("<ref:reference>/heropenen/", views.case_reopen, name="reopen"),
]
