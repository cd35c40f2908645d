from django.urls import path

from dangbo.handbook import views

app_name = "handbook"

urlpatterns = [
    path("so-tay/", views.home, name="home"),
    path("so-tay/ho-so/", views.record, name="record"),
    path("so-tay/chi-bo/", views.cell, name="cell"),
    path("so-tay/hop/", views.meetings, name="meetings"),
    path("so-tay/hop/<id:pk>/", views.meeting, name="meeting"),
    path("so-tay/hop/<id:pk>/ghi-chu/", views.meeting_note, name="meeting_note"),
    path("so-tay/thong-bao/", views.notifications, name="notifications"),
    path("so-tay/thong-bao/<id:pk>/", views.notification_open, name="notification_open"),
    path("so-tay/danh-dau/", views.bookmarks, name="bookmarks"),
    path("so-tay/danh-dau/doi/", views.bookmark_toggle, name="bookmark_toggle"),
    path("so-tay/ghi-chu/", views.notes, name="notes"),
    path("so-tay/ghi-chu/<id:pk>/", views.note_edit, name="note_edit"),
    path("so-tay/gop-y/", views.opinions, name="opinions"),
    path("so-tay/gop-y/<id:pk>/", views.opinion, name="opinion"),
    path("so-tay/hien-thi/", views.display, name="display"),
    path("gop-y/", views.opinions_inbox, name="opinions_inbox"),
    path("de-nghi-sua-ho-so/", views.corrections, name="corrections"),
    path("de-nghi-sua-ho-so/<id:pk>/", views.correction_handle, name="correction_handle"),
]
