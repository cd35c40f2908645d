from django.urls import path

from dangbo.documents import views, views_study

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.document_list, name="list"),
    path("van-ban/them/", views.document_create, name="create"),
    path("van-ban/<id:pk>/", views.document_detail, name="detail"),
    path("van-ban/<id:pk>/chuoi/", views.document_chain, name="chain"),
    path("van-ban/<id:pk>/tep/", views.document_file, name="file"),
    path("van-ban/<id:pk>/lien-ket/them/", views.link_add, name="link_add"),
    path("van-ban/<id:pk>/thu-hoi/", views.withdraw, name="withdraw"),
    path("van-ban/<id:pk>/lich-su/", views.history, name="history"),
    path("lien-ket-van-ban/<id:pk>/xoa/", views.link_remove, name="link_remove"),
    # Study (học tập, quán triệt): documents/study.py
    path("van-ban/<id:pk>/hoc-tap/giao/", views_study.study_create, name="study_create"),
    path("hoc-tap/cua-toi/", views_study.my_studies, name="study_mine"),
    path("hoc-tap/<id:pk>/", views_study.study_detail, name="study_detail"),
    path("hoc-tap/<id:pk>/ghi-nhan/", views_study.study_record, name="study_record"),
    path("hoc-tap/<id:pk>/xac-nhan/", views_study.study_confirm, name="study_confirm"),
    path("hoc-tap/<id:pk>/huy/", views_study.study_cancel, name="study_cancel"),
    path("to-chuc/<id:pk>/hoc-tap/", views_study.org_studies, name="study_org"),
]
