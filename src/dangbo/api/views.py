from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangbo.api.base import StrictInput
from dangbo.core import audit
from dangbo.core.views import ThrottledAuthenticationForm


class TokenIn(StrictInput):
    username = serializers.CharField()
    password = serializers.CharField()


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


@method_decorator(login_not_required, name="dispatch")
class TokenView(APIView):
    """Exchange a user name and password for an API token (same throttling as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenIn, responses=TokenOut)
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        form = ThrottledAuthenticationForm(request._request, data=data.validated_data)
        if not form.is_valid():
            raise serializers.ValidationError({"non_field_errors": [str(e) for e in form.non_field_errors()]})
        user = form.get_user()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit.record(actor=user, action="auth.token", object_type="auth.user", object_id=str(user.pk))
        return Response({"token": token.key})
