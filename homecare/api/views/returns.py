"""Monthly returns through the API: a provider's system sends its answers
(and submits them); a council token reads every provider's returns."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.months import Month, current_month
from homecare.api.auth import HasApiToken, ProviderTokenForWrites, token_of
from homecare.api.selectors import returns_for
from homecare.api.serializers import ReturnSerializer, ReturnWriteSerializer
from homecare.returns import services
from homecare.returns.models import ProviderReturn

MONTH = OpenApiParameter("month", OpenApiTypes.STR, description="Only this month, as 2026-10")
PROVIDER = OpenApiParameter("provider", OpenApiTypes.STR, description="Only this provider's ref")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The return is submitted and locked: ask the council to reopen it."


def parse_month(text: str, *, field: str = "month") -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise exceptions.ValidationError({field: [str(error)]}) from None


class ReturnList(APIView):
    permission_classes = [HasApiToken, ProviderTokenForWrites]

    @extend_schema(
        summary="List monthly returns",
        parameters=[MONTH, PROVIDER],
        responses={200: ReturnSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        returns = returns_for(token_of(request)).order_by("-month", "provider__name")
        if request.query_params.get("month"):
            returns = returns.filter(month=parse_month(request.query_params["month"]).first)
        if request.query_params.get("provider"):
            returns = returns.filter(provider__ref=request.query_params["provider"])
        return Response(ReturnSerializer(returns[:500], many=True).data)

    @extend_schema(
        summary="Save (and submit) a month's return",
        description=(
            "Saves the answers sent as the month's draft (a field left out keeps its answer; "
            "null clears it). With `submit: true` the return is then submitted, which needs "
            "every answer; a submitted return is locked (409) until the council reopens it. "
            "A provider's token only."
        ),
        request=ReturnWriteSerializer,
        responses={
            200: ReturnSerializer,
            400: OpenApiResponse(description="An answer is not valid, or one is missing to submit"),
            403: OpenApiResponse(description="A council token cannot send returns"),
            409: OpenApiResponse(description="The return is submitted and locked"),
        },
    )
    def post(self, request: Request) -> Response:
        token = token_of(request)
        if token.provider is None:  # ProviderTokenForWrites refused it already
            raise exceptions.PermissionDenied()
        writer = ReturnWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        month = parse_month(writer.validated_data["month"])
        if month.first >= current_month().first:
            raise exceptions.ValidationError({"month": ["That month is not over yet"]})
        existing = ProviderReturn.objects.filter(provider=token.provider, month=month.first).first()
        if existing is not None and existing.locked:
            raise Conflict()
        lots = services.provider_lots(token.provider)
        answers, capacity = writer.check_with_forms(
            existing or ProviderReturn(provider=token.provider, month=month.first), lots
        )
        user = token.created_by
        ret = existing or services.start_return(
            provider=token.provider, month=month, user=user, via="api"
        )
        try:
            services.save_answers(
                provider_return=ret, answers=answers, capacity=capacity, user=user, via="api"
            )
            if writer.validated_data.get("submit"):
                services.submit_return(provider_return=ret, user=user, via="api")
        except services.ReturnLocked:
            raise Conflict() from None
        except services.ReturnIncomplete as incomplete:
            raise exceptions.ValidationError(
                {
                    "submit": [
                        f"Answer every question before submitting: {', '.join(incomplete.missing)}"
                    ]
                }
            ) from None
        fresh = returns_for(token).get(pk=ret.pk)
        return Response(ReturnSerializer(fresh).data, status=status.HTTP_200_OK)


@extend_schema(summary="A monthly return")
class ReturnDetail(generics.RetrieveAPIView):
    serializer_class = ReturnSerializer

    def get_object(self) -> ProviderReturn:
        try:
            return get_object_or_404(returns_for(token_of(self.request)), pk=self.kwargs["pk"])
        except (ValueError, TypeError):
            raise Http404 from None
