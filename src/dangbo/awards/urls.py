from django.urls import path

from dangbo.awards import views

app_name = "awards"

urlpatterns = [
    path("khen-thuong/", views.award_list, name="list"),
    path("khen-thuong/danh-muc/", views.catalogue, name="catalogue"),
    path("khen-thuong/thong-ke/", views.statistics, name="statistics"),
    path("khen-thuong/de-nghi/", views.proposal_list, name="proposals"),
    path("khen-thuong/de-nghi/moi/<str:kind>/<id:pk>/", views.proposal_create, name="proposal_create"),
    path("khen-thuong/de-nghi/<id:pk>/", views.proposal_detail, name="proposal"),
    path("khen-thuong/de-nghi/<id:pk>/chuyen-buoc/", views.proposal_transition, name="proposal_transition"),
    path("khen-thuong/quyet-dinh/", views.decision_list, name="decisions"),
    path("khen-thuong/quyet-dinh/moi/", views.decision_create, name="decision_create"),
    path("khen-thuong/quyet-dinh/<id:pk>/", views.decision_detail, name="decision"),
    path("khen-thuong/<id:pk>/giay-khen.pdf", views.certificate_pdf, name="certificate"),
    path("khen-thuong/ca-nhan/<id:pk>/", views.person_history, name="person"),
    path("khen-thuong/to-chuc/<id:pk>/", views.organisation_history, name="organisation"),
    path("khen-thuong/don-vi/<id:pk>/", views.unit_history, name="unit"),
]
