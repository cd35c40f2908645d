from django.urls import path

from dangbo.documents import views, views_reviews, views_study, views_tasks

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.document_list, name="list"),
    path("van-ban/them/", views.document_create, name="create"),
    path("van-ban/<id:pk>/", views.document_detail, name="detail"),
    path("van-ban/<id:pk>/chuoi/", views.document_chain, name="chain"),
    path("van-ban/<id:pk>/tep/", views.document_file, name="file"),
    path("van-ban/<id:pk>/word/", views.document_word, name="word"),
    path("van-ban/<id:pk>/pdf/", views.document_pdf, name="pdf"),
    path("van-ban/<id:pk>/lien-ket/them/", views.link_add, name="link_add"),
    path("van-ban/<id:pk>/thu-hoi/", views.withdraw, name="withdraw"),
    path("van-ban/<id:pk>/sua/", views.correct, name="correct"),
    path("van-ban/<id:pk>/lich-su/", views.history, name="history"),
    path("lien-ket-van-ban/<id:pk>/xoa/", views.link_remove, name="link_remove"),
    # Implementation: tasks and targets, progress, the dashboard
    path("van-ban/so-ket/", views_reviews.review, name="review"),
    path("nhiem-vu/", views_tasks.dashboard, name="tasks"),
    path("van-ban/<id:pk>/nhiem-vu/them/", views_tasks.task_create, name="task_create"),
    path("nhiem-vu/<id:pk>/", views_tasks.task_detail, name="task_detail"),
    path("nhiem-vu/<id:pk>/bao-cao/", views_tasks.task_report, name="task_report"),
    path("nhiem-vu/<id:pk>/gia-han/", views_tasks.task_reschedule, name="task_reschedule"),
    path("nhiem-vu/<id:pk>/huy/", views_tasks.task_cancel, name="task_cancel"),
    path("minh-chung/<id:pk>/", views_tasks.evidence_file, name="evidence"),
    # Study (học tập, quán triệt): documents/study.py
    path("van-ban/<id:pk>/hoc-tap/giao/", views_study.study_create, name="study_create"),
    path("hoc-tap/cua-toi/", views_study.my_studies, name="study_mine"),
    path("hoc-tap/<id:pk>/", views_study.study_detail, name="study_detail"),
    path("hoc-tap/<id:pk>/ghi-nhan/", views_study.study_record, name="study_record"),
    path("hoc-tap/<id:pk>/xac-nhan/", views_study.study_confirm, name="study_confirm"),
    path("hoc-tap/<id:pk>/bo-xac-nhan/", views_study.study_unconfirm, name="study_unconfirm"),
    path("hoc-tap/<id:pk>/huy/", views_study.study_cancel, name="study_cancel"),
    path("to-chuc/<id:pk>/hoc-tap/", views_study.org_studies, name="study_org"),
]
