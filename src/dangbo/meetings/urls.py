from django.urls import path

from dangbo.meetings import views, views_calendar, views_export, views_quality

app_name = "meetings"

urlpatterns = [
    path("hop/", views.meeting_list, name="list"),
    path("hop/them/", views.meeting_create, name="create"),
    path("hop/<id:pk>/", views.meeting_detail, name="detail"),
    path("hop/<id:pk>/gui-giay-moi/", views.invite, name="invite"),
    path("hop/<id:pk>/diem-danh/", views.attendance, name="attendance"),
    path("hop/<id:pk>/bieu-quyet/", views.vote, name="vote"),
    path("hop/<id:pk>/khach-moi/", views.guest, name="guest"),
    path("hop/<id:pk>/chuong-trinh/", views.agenda, name="agenda"),
    path("hop/<id:pk>/bien-ban/", views.minutes_edit, name="minutes"),
    path("hop/<id:pk>/ky/", views.sign, name="sign"),
    path("hop/<id:pk>/dinh-chinh/", views.addendum, name="addendum"),
    path("hop/<id:pk>/huy/", views.cancel, name="cancel"),
    path("hop/<id:pk>/bien-ban/word/", views_export.minutes_word, name="minutes_word"),
    path("hop/<id:pk>/bien-ban/pdf/", views_export.minutes_pdf, name="minutes_pdf"),
    path("hop/<id:pk>/giay-moi.pdf", views_export.invitation_pdf, name="invitation_pdf"),
    path("hop/<id:pk>/danh-sach-ky.pdf", views_export.sign_in_pdf, name="sign_in_pdf"),
    path("hop/chat-luong/", views_quality.quality_page, name="quality"),
    path("hop/chat-luong/<id:pk>/", views_quality.quality_cell, name="quality_cell"),
    path("hop/<id:pk>/lich.ics", views_calendar.meeting_ics, name="ics"),
    path("hop/lich/", views_calendar.calendar_page, name="calendar"),
    path("hop/lich/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]
