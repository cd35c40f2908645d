from django.urls import path

from dangbo.orgs import views

app_name = "orgs"

urlpatterns = [
    path("to-chuc/", views.tree, {"tree": "org"}, name="org_tree"),
    path("to-chuc/<id:pk>/", views.node_detail, {"tree": "org"}, name="org_detail"),
    path("to-chuc/<id:pk>/sua/", views.node_edit, {"tree": "org"}, name="org_edit"),
    path("to-chuc/<id:pk>/them/", views.node_add_child, {"tree": "org"}, name="org_add_child"),
    path("to-chuc/<id:pk>/chuyen/", views.node_move, {"tree": "org"}, name="org_move"),
    path("to-chuc/<id:pk>/sap-nhap/", views.org_merge, name="org_merge"),
    path("to-chuc/<id:pk>/nhiem-ky/them/", views.term_add, name="term_add"),
    path("to-chuc/<id:pk>/chuc-vu/them/", views.appointment_add, {"tree": "org"}, name="org_appointment_add"),
    path("to-chuc/<id:pk>/nguoi/them/", views.person_add, name="person_add"),
    path("to-chuc/<id:pk>/phan-quyen/", views.roles, name="roles"),
    path("phan-quyen/<id:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("to-chuc/<id:pk>/lich-su/", views.history, {"kind": "org"}, name="org_history"),
    path("don-vi/", views.tree, {"tree": "unit"}, name="unit_tree"),
    path("don-vi/<id:pk>/", views.node_detail, {"tree": "unit"}, name="unit_detail"),
    path("don-vi/<id:pk>/sua/", views.node_edit, {"tree": "unit"}, name="unit_edit"),
    path("don-vi/<id:pk>/them/", views.node_add_child, {"tree": "unit"}, name="unit_add_child"),
    path("don-vi/<id:pk>/chuyen/", views.node_move, {"tree": "unit"}, name="unit_move"),
    path(
        "don-vi/<id:pk>/chuc-vu/them/", views.appointment_add, {"tree": "unit"}, name="unit_appointment_add"
    ),
    path("don-vi/<id:pk>/lich-su/", views.history, {"kind": "unit"}, name="unit_history"),
    path("nguoi/<id:pk>/", views.person_detail, name="person_detail"),
    path("nguoi/<id:pk>/sua/", views.person_edit, name="person_edit"),
    path("nguoi/<id:pk>/lich-su/", views.history, {"kind": "person"}, name="person_history"),
    path("bo-nhiem/<id:pk>/ket-thuc/", views.appointment_end, name="appointment_end"),
]
