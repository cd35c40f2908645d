from django.urls import path

from dangbo.members import views

app_name = "members"

urlpatterns = [
    path("to-chuc/<id:pk>/dang-vien/", views.register, name="register"),
    path("dang-vien/<id:pk>/", views.member_card, name="card"),
    path("to-chuc/<id:pk>/huy-hieu/", views.badges, name="badges"),
    path("to-chuc/<id:pk>/huy-hieu/trao/", views.badges_award, name="badges_award"),
    path("to-chuc/<id:pk>/huy-hieu/to-trinh.pdf", views.badges_pdf, name="badges_pdf"),
    path("to-chuc/<id:pk>/du-bi/", views.probation, name="probation"),
    path("to-chuc/<id:pk>/thong-ke/", views.statistics, name="statistics"),
    path("to-chuc/<id:pk>/dang-vien/ket-nap/", views.admit, name="admit"),
    path("to-chuc/<id:pk>/dang-vien/nhap/", views.import_page, name="import"),
    path("nhap-dang-vien/<id:pk>/", views.import_job, name="import_job"),
    path("nhap-dang-vien/<id:pk>/tien-do.json", views.import_job_status, name="import_job_status"),
    path("to-chuc/<id:pk>/dang-vien/mau-nhap.xlsx", views.import_template, name="import_template"),
    path("dang-vien/<id:pk>/su-kien/them/", views.add_event, name="add_event"),
    path("dang-vien/<id:pk>/sua/", views.member_edit, name="edit"),
    path("su-kien/<id:pk>/sua/", views.event_correct, name="event_correct"),
    path("su-kien/<id:pk>/huy/", views.event_remove, name="event_remove"),
    path("to-chuc/<id:pk>/dang-vien/xuat.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("to-chuc/<id:pk>/dang-vien/so.pdf", views.register_pdf, name="register_pdf"),
    path("to-chuc/<id:pk>/dang-vien/xuat.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
