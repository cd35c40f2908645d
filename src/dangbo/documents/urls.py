from django.urls import path

from dangbo.documents import views

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
    path("van-ban/<id:pk>/lich-su/", views.history, name="history"),
    path("lien-ket-van-ban/<id:pk>/xoa/", views.link_remove, name="link_remove"),
]
