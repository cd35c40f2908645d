from django.urls import path

from dangbo.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("danh-gia/", views.round_list, name="list"),
    path("danh-gia/moi/", views.round_create, name="create"),
    path("danh-gia/<id:pk>/", views.round_detail, name="detail"),
    path("danh-gia/<id:pk>/chuyen-buoc/", views.advance, name="advance"),
    path("danh-gia/<id:pk>/cua-toi/", views.mine, name="mine"),
    path("danh-gia/<id:pk>/chi-bo/<id:org>/", views.propose, name="propose"),
    path("danh-gia/<id:pk>/quyet-dinh/", views.decide, name="decide"),
    path("danh-gia/<id:pk>/ket-qua/", views.results, name="results"),
    path("danh-gia/phieu/<id:pk>/", views.assessment_detail, name="assessment"),
    path("danh-gia/phieu/<id:pk>/word/", views.assessment_word, name="word"),
]
