from django.urls import path

from dangbo.members import views

app_name = "members"

urlpatterns = [
    path("to-chuc/<id:pk>/dang-vien/", views.register, name="register"),
    path("dang-vien/<id:pk>/", views.member_card, name="card"),
]
