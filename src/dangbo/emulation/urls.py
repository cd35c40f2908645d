from django.urls import path

from dangbo.emulation import views

app_name = "emulation"

urlpatterns = [
    path("thi-dua/", views.movement_list, name="list"),
    path("thi-dua/moi/", views.movement_create, name="create"),
    path("thi-dua/<id:pk>/", views.movement_detail, name="detail"),
    path("thi-dua/<id:pk>/mo-hinh/", views.model_add, name="model_add"),
    path("thi-dua/<id:pk>/hoi-dong/", views.council_add, name="council_add"),
    path("thi-dua/<id:pk>/dau-moi/", views.delegate_add, name="delegate_add"),
    path("thi-dua/<id:pk>/chuyen-buoc/", views.advance, name="advance"),
    path("thi-dua/<id:pk>/dang-ky/", views.register, name="register"),
    path("thi-dua/<id:pk>/ket-qua/", views.results, name="results"),
    path("thi-dua/dang-ky/<id:pk>/", views.registration_detail, name="registration"),
    path("thi-dua/dang-ky/<id:pk>/tu-cham/", views.self_score, name="self_score"),
    path("thi-dua/dang-ky/<id:pk>/hoi-dong-cham/", views.council_score, name="council_score"),
    path("thi-dua/dang-ky/<id:pk>/duyet/", views.decide, name="decide"),
    path("thi-dua/dang-ky/<id:pk>/rut/", views.withdraw, name="withdraw"),
    path("thi-dua/hoi-dong/<id:pk>/xoa/", views.council_remove, name="council_remove"),
    path("thi-dua/dau-moi/<id:pk>/xoa/", views.delegate_remove, name="delegate_remove"),
    path("thi-dua/dang-ky/<id:pk>/dien-hinh/", views.exemplar, name="exemplar"),
    path("thi-dua/bo-tieu-chi/", views.criteria_list, name="criteria_list"),
    path("thi-dua/bo-tieu-chi/moi/", views.criteria_edit, name="criteria_new"),
    path("thi-dua/bo-tieu-chi/<id:pk>/", views.criteria_detail, name="criteria"),
    path("thi-dua/bo-tieu-chi/<id:pk>/sua/", views.criteria_edit, name="criteria_edit"),
    path("thi-dua/bo-tieu-chi/<id:pk>/cong-bo/", views.criteria_publish, name="criteria_publish"),
]
