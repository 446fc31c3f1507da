"""The REST API: one router per surface, generated; the same selectors, forms and services as the UI."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Body, NinjaAPI, Query, Router, Schema, Status
from ninja import errors as ninja_errors
from ninja.orm import create_schema
from ninja.security import HttpBearer, django_auth

from core import actions
from core.access.permissions import ADD, CHANGE, DELETE, VIEW, role_may
from core.accounts import tokens
from core.accounts.lockout import account_locked_until, locked_message
from core.reference import control_characters
from core.surfaces import bulk, counting, surface_for
from core.surfaces.views import filtered_list


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = tokens.token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Yuanqu API",
    version="1",
    description="园区 — parks, buildings, units, enterprises and leases. Authenticate with "
    "`POST /api/token` and send `Authorization: Bearer <token>`.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": _("Validation failed."), "errors": error_list(exc)}, status=400)


@api.exception_handler(tokens.TokenExpired)
def on_token_expired(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=401)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Permission denied.")}, status=403)


@api.exception_handler(ninja_errors.ValidationError)
def on_request_shape_error(request, exc):
    """Parameters the schema refuses (page=0, a string for a number): the same error shape, in Chinese."""
    rows = []
    for error in exc.errors:
        field = str(error.get("loc", ["", ""])[-1])
        rows.append({"field": field, "label": field,
                     "message": _("%(field)s: invalid value (%(detail)s)") % {"field": field, "detail": error.get("msg", "")}})
    return api.create_response(request, {"detail": _("Validation failed."), "errors": rows}, status=400)


@api.exception_handler(ninja_errors.HttpError)
def on_http_error(request, exc):
    """A body that is not JSON (ninja's own English "Cannot parse request body") is said in Chinese; any other
    HTTP error keeps its status and words."""
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return api.create_response(request, {"detail": _("The request body is not valid JSON; nothing was changed.")},
                                   status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request, exc):
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE: JSON in Chinese, as every other refusal of the API."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return api.create_response(request, {"detail": _(
        "The request body is larger than %(limit)s MB, the most the API takes; nothing was changed.") % {
        "limit": f"{size:.1f}".rstrip("0").rstrip(".")}}, status=413)


@api.exception_handler(actions.Refused)
def on_refused(request, exc):
    """A transition the record's present state does not allow: 409, with the reason in Chinese."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def error_list(exc: ValidationError, form=None, model=None) -> list[dict]:
    rows = []
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages in detail.items():
        label = ""
        if form is not None and field in form.fields:
            label = str(form.fields[field].label or field)
        elif model is not None:
            try:
                label = str(model._meta.get_field(field).verbose_name)
            except Exception:
                label = ""
        for message in messages:
            rows.append({"field": None if field == "__all__" else field, "label": label,
                         "message": f"{label}：{message}" if label else message})
    return rows


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class Message(Schema):
    detail: str


class BulkSelection(Schema):
    """Which records: ``ids``, or ``filter`` (the list's filter parameters, run again on the server within the
    caller's scope; a name the list's filter does not know is refused). ``dry_run``: go through every record, keep nothing (a preview)."""

    ids: list[int] | None = None
    filter: dict[str, Any] | None = None
    dry_run: bool = False


class BulkUpdateIn(BulkSelection):
    data: dict[str, Any]


class BulkOut(Schema):
    count: int
    changed: int
    request_id: str
    dry_run: bool


@api.post("/token", auth=None, response={200: TokenOut, 401: Message}, tags=["auth"])
def obtain_token(request, credentials: TokenIn):
    """Exchange a username and password for a bearer token."""
    if control_characters.first_refused(credentials.username):
        # No account is named so (the user form refuses it); PostgreSQL would refuse a NUL in the lookup.
        return Status(401, {"detail": _("Wrong username or password.")})
    until = account_locked_until(credentials.username)
    if until:
        return Status(401, {"detail": locked_message(until)})
    key = tokens.token_for_password(username=credentials.username, password=credentials.password)
    if key is None:
        until = account_locked_until(credentials.username)  # locked by attempts made at the same moment
        return Status(401, {"detail": locked_message(until) if until else _("Wrong username or password.")})
    return Status(200, {"token": key})


MAX_PAGE = 1_000_000

# JSON numbers beyond this are refused before they reach a query (SQLite integers are 64-bit).
LARGEST_NUMBER = 2**53


def _json_value(field, value):
    """A JSON value as the form would receive it from a browser; ValidationError when it cannot be one."""
    if isinstance(field, forms.JSONField) or value is None:
        return value
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
            raise ValidationError(_("Give a list of values."))
        return [_json_value(forms.CharField(), v) for v in value]
    if isinstance(value, (list, dict)):
        raise ValidationError(_("Give a single value, not a list or an object."))
    if isinstance(value, bool):
        return value if isinstance(field, forms.BooleanField) else str(value).lower()
    if isinstance(value, (int, float)):
        if not abs(value) <= LARGEST_NUMBER:  # NaN too: Python's JSON reads NaN and Infinity
            raise ValidationError(_("The number is out of range."))
        return str(value)
    return value


def _form_data(form_class, instance=None, payload=None) -> dict:
    """The instance's current values overlaid with the payload, shaped for the form; field errors raised."""
    errors = {}
    for name, value in (payload or {}).items():
        if name in form_class.base_fields:
            try:
                payload[name] = _json_value(form_class.base_fields[name], value)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    data = {}
    if instance is None:
        # What the schema marks optional and the model defaults (a zone's kind, its sort order) may be left out.
        model = form_class._meta.model
        for name in form_class.base_fields:
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if getattr(field, "concrete", False) and field.has_default():
                data[name] = field.get_default()
    if instance is not None:
        fields = [f for f in form_class.base_fields if f in {x.name for x in instance._meta.get_fields()}]
        for name, value in model_to_dict(instance, fields=fields).items():
            if isinstance(value, list):
                value = [getattr(v, "pk", v) for v in value]
            data[name] = value
    data.update(payload or {})
    return data


def _same(stored, given) -> bool:
    """A stored value and a JSON one compared as a form would see them (ids as text, lists in any order)."""
    def text(value):
        if isinstance(value, (list, tuple)):
            return sorted(str(getattr(v, "pk", v)) for v in value)
        return "" if value is None else str(getattr(value, "pk", value))

    return text(stored) == text(given)


def build_router(surface) -> Router:
    model = surface.model
    form_class = surface.form
    field_names = [
        f for f in form_class.base_fields if f in {x.name for x in model._meta.get_fields() if getattr(x, "concrete", False) or x.many_to_many}
    ]
    out_fields = ["id", *[f for f in field_names if f != "id"]]
    extra_out = [name for name in surface.api_read_only if name not in out_fields]
    personal = set(getattr(model, "personal_fields", ()))
    Out = create_schema(model, name=f"{model.__name__}Out",
                        fields=[f for f in out_fields + extra_out if f not in personal])
    if personal:
        # Personal data leaves the server masked (138****5678); revealing is a separate, audited act.
        annotations = {f"masked_{name}": str for name in sorted(personal)}
        resolvers = {f"resolve_masked_{name}": staticmethod(lambda obj, _n=name: getattr(obj, f"masked_{_n}"))
                     for name in personal}
        Out = type(f"{model.__name__}Out", (Out,), {"__annotations__": annotations, **resolvers})
    In = create_schema(model, name=f"{model.__name__}In", fields=[f for f in field_names if f != "id"], optional_fields="__all__")
    body_doc = {"requestBody": {"content": {"application/json": {"schema": In.model_json_schema()}}, "required": True}}

    class Page(Schema):
        count: int
        page: int
        page_size: int
        results: list[Out]

    Page.__name__ = f"{model.__name__}Page"
    with translation.override("en"):  # the API speaks English to developers, whatever the server's language
        plural, singular = str(model._meta.verbose_name_plural), str(model._meta.verbose_name)
    router = Router(tags=[plural])

    def scoped_object(request, pk):
        if not role_may(request.user, VIEW, model):
            raise Http404
        return get_object_or_404(surface.queryset(request.user), pk=pk)

    def save(request, instance, payload):
        try:
            data = _form_data(form_class, instance, payload)
        except ValidationError as exc:
            return api.create_response(request, {
                "detail": _("Validation failed."), "errors": error_list(exc, form_class(user=request.user), model),
            }, status=400)
        form = form_class(data=data, instance=instance, user=request.user)
        if not form.is_valid():
            return api.create_response(request, {
                "detail": _("Validation failed."), "errors": error_list(ValidationError(form.errors.as_data()), form, model),
            }, status=400)
        # A field the form leaves out for this user (one the model reserves for other roles) is not dropped in
        # silence: a value that would change it goes to the service, which refuses it naming the field.
        stored = _form_data(form_class, instance) if instance is not None else {}
        withheld = {name: value for name, value in (payload or {}).items()
                    if name in form_class.base_fields and name not in form.fields and not _same(stored.get(name), value)}
        try:
            if instance is None:
                return surface.create(user=request.user, model=model, data={**form.cleaned_data, **withheld})
            return surface.update(user=request.user, instance=instance, data={**form.cleaned_data, **withheld})
        except ValidationError as exc:
            return api.create_response(
                request, {"detail": _("Validation failed."), "errors": error_list(exc, form, model)}, status=400
            )

    @router.get("", response=Page, summary=f"List {plural}", operation_id=f"{surface.app_label}_{surface.name}_list")
    def list_objects(request, page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=500)):
        if not role_may(request.user, VIEW, model):
            raise PermissionDenied
        filterset, qs, _sort = filtered_list(surface, request)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors.as_data())
        start = (page - 1) * page_size
        return {"count": counting.count(qs), "page": page, "page_size": page_size, "results": list(qs[start:start + page_size])}

    @router.get("/{int:pk}", response=Out, summary=f"Get one {singular}", operation_id=f"{surface.app_label}_{surface.name}_get")
    def get_object(request, pk: int):
        return scoped_object(request, pk)

    @router.post("", response={201: Out}, openapi_extra=body_doc, summary=f"Create a {singular}",
                 operation_id=f"{surface.app_label}_{surface.name}_create")
    def create_object(request, payload: dict = Body(...)):
        if not role_may(request.user, ADD, model):
            raise PermissionDenied
        result = save(request, None, payload)
        return Status(201, result) if isinstance(result, model) else result

    @router.patch("/{int:pk}", response=Out, openapi_extra=body_doc, summary=f"Update a {singular}",
                  operation_id=f"{surface.app_label}_{surface.name}_update")
    def update_object(request, pk: int, payload: dict = Body(...)):
        instance = scoped_object(request, pk)
        if not role_may(request.user, CHANGE, model):
            raise PermissionDenied
        return save(request, instance, payload)

    @router.delete("/{int:pk}", response={204: None}, summary=f"Delete a {singular}",
                   operation_id=f"{surface.app_label}_{surface.name}_delete")
    def delete_object(request, pk: int):
        instance = scoped_object(request, pk)
        if not role_may(request.user, DELETE, model):
            raise PermissionDenied
        surface.delete(user=request.user, instance=instance)
        return Status(204, None)

    def bulk_selected(request, selection: BulkSelection):
        """The ids as given, or the list's filter run here within the caller's scope."""
        if not role_may(request.user, VIEW, model):
            raise PermissionDenied
        if (selection.ids is None) == (selection.filter is None):
            raise bulk.BulkRefused(_("Give either ids or filter."))
        if selection.ids is not None:
            return selection.ids
        unknown = sorted(set(selection.filter) - _filter_names(surface))
        if unknown:
            # Ignored, a misspelt name would leave no filter: every record in scope would be changed or deleted.
            raise ValidationError({name: _("%(name)s: the list of %(kind)s has no such filter; nothing was "
                                           "changed.") % {"name": control_characters.removed(name)[:40],
                                                          "kind": model._meta.verbose_name}
                                   for name in unknown})
        params = _filter_params(selection.filter)
        filterset, qs, _sort = filtered_list(surface, request, params)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors.as_data())
        return qs

    def bulk_failed(request, exc: bulk.BulkFailed):
        errors = [{"id": f.pk, "field": name, "label": label,
                   "message": _("%(kind)s “%(object)s”: %(reason)s") % {
                       "kind": model._meta.verbose_name, "object": f.name,
                       "reason": f"{label}：{message}" if label else message}}
                  for f in exc.failures for name, label, message in f.errors]
        return api.create_response(request, {"detail": _(
            "Nothing was saved: %(count)d of the %(total)d selected records refused.") % {
            "count": len(exc.failures), "total": exc.total}, "errors": errors}, status=400)

    @router.post("/bulk-update", response={200: BulkOut}, summary=f"Set fields on many {plural}",
                 operation_id=f"{surface.app_label}_{surface.name}_bulk_update")
    def bulk_update(request, payload: BulkUpdateIn):
        """Each record through the same form and service as ``PATCH``; all or nothing (400 lists each record that
        refused, with its id)."""
        selection = bulk_selected(request, payload)
        values, errors = {}, {}
        for name, value in payload.data.items():
            try:
                values[name] = _json_value(form_class.base_fields[name], value) if name in form_class.base_fields else value
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            return api.create_response(request, {"detail": _("Validation failed."), "errors": error_list(
                ValidationError(errors), surface.form(user=request.user), model)}, status=400)
        try:
            result = bulk.objects_bulk_update(user=request.user, surface=surface, selection=selection, values=values,
                                              dry_run=payload.dry_run)
        except bulk.BulkFailed as exc:
            return bulk_failed(request, exc)
        return Status(200, result)

    @router.post("/bulk-delete", response={200: BulkOut}, summary=f"Delete many {plural}",
                 operation_id=f"{surface.app_label}_{surface.name}_bulk_delete")
    def bulk_delete(request, payload: BulkSelection):
        """Each record through the same service as ``DELETE``; all or nothing (400 lists each record that refused,
        such as one other records still refer to)."""
        selection = bulk_selected(request, payload)
        try:
            result = bulk.objects_bulk_delete(user=request.user, surface=surface, selection=selection,
                                              dry_run=payload.dry_run)
        except bulk.BulkFailed as exc:
            return bulk_failed(request, exc)
        return Status(200, result)

    add_action_routes(router, model, scoped_object=scoped_object, Out=Out,
                      operation_prefix=f"{surface.app_label}_{surface.name}")
    return router


_FORM_TYPES = (
    (forms.ModelMultipleChoiceField, {"type": "array", "items": {"type": "integer"}}),
    (forms.ModelChoiceField, {"type": "integer"}),
    (forms.MultipleChoiceField, {"type": "array", "items": {"type": "string"}}),
    (forms.BooleanField, {"type": "boolean"}),
    (forms.DateField, {"type": "string", "format": "date"}),
    (forms.DecimalField, {"type": "number"}),
    (forms.IntegerField, {"type": "integer"}),
)


def form_json_schema(form_class) -> dict:
    """The JSON schema of an action's inputs, from its form's fields (for the OpenAPI document)."""
    properties, required = {}, []
    for name, field in (form_class.base_fields.items() if form_class else ()):
        schema = next((dict(kind) for cls, kind in _FORM_TYPES if isinstance(field, cls)), {"type": "string"})
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField) and field.choices:
            values = [value for value, _label in field.choices if value != ""]
            if schema["type"] == "array":
                schema["items"]["enum"] = values
            else:
                schema["enum"] = values
        with translation.override("en"):
            schema["title"] = str(field.label or name)
        properties[name] = schema
        if field.required:
            required.append(name)
    return {"type": "object", "properties": properties, "required": required}


def add_action_routes(router, model, *, scoped_object, Out=None, operation_prefix: str) -> None:
    """``POST /{pk}/<verb>`` for each action declared on ``model``: the action's form checks the JSON body, the
    guarded service takes it; 403 for a role that may not, 404 out of scope, 409 when the state does not allow
    it, 400 for bad inputs."""
    for declared in actions.actions_for(model):
        _add_action_route(router, declared, scoped_object=scoped_object, Out=Out, operation_prefix=operation_prefix)


def _add_action_route(router, declared, *, scoped_object, Out, operation_prefix):
    form_class = declared.form
    with translation.override("en"):
        summary = f"{declared.label_text} ({declared.verb})"
    body_doc = {"requestBody": {"content": {"application/json": {"schema": form_json_schema(form_class)}},
                                "required": False}}
    response = {200: dict if declared.api_response or Out is None else Out, 400: dict, 409: Message}

    def take_action(request, pk: int, payload: dict | None = Body(None)):
        obj = scoped_object(request, pk)
        if request.user.role not in declared.roles:
            raise PermissionDenied
        actions.check(request.user, declared, obj)
        inputs = {}
        if form_class is not None:
            try:
                data = _action_data(form_class, dict(payload or {}))
            except ValidationError as exc:
                return Status(400, {"detail": _("Validation failed."),
                                    "errors": error_list(exc, form_class(obj=obj, user=request.user))})
            initial = declared.initial(obj) if declared.initial else None
            form = form_class(data, obj=obj, user=request.user, initial=initial)
            if not form.is_valid():
                return Status(400, {"detail": _("Validation failed."),
                                    "errors": error_list(ValidationError(form.errors.as_data()), form)})
            inputs = form.cleaned_data
        try:
            result = declared(user=request.user, instance=obj, **inputs)
        except ValidationError as exc:
            return Status(400, {"detail": _("Validation failed."),
                                "errors": error_list(exc, form_class(obj=obj, user=request.user) if form_class else None)})
        if declared.api_response:
            return Status(200, declared.api_response(request, result))
        landed = actions.landing(declared, obj, result)
        return Status(200, landed if Out is not None else {"id": landed.pk})

    take_action.__name__ = f"{operation_prefix}_{declared.verb}"
    router.post(f"/{{int:pk}}/{declared.verb}", response=response, openapi_extra=body_doc, summary=summary,
                operation_id=f"{operation_prefix}_{declared.verb}")(take_action)


def _action_data(form_class, payload: dict) -> dict:
    """The JSON body shaped as the action's form receives a browser's POST; field errors raised."""
    errors, data = {}, {}
    for name, value in payload.items():
        if name not in form_class.base_fields:
            continue
        try:
            data[name] = _json_value(form_class.base_fields[name], value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return data


def _filter_names(surface) -> set[str]:
    """The parameters a list's filter takes: its filters (a range's two halves by their suffixes) and ``sort``."""
    names = {"sort"}
    for name, declared in surface.filterset.base_filters.items():
        widget = declared.extra.get("widget") or declared.field_class.widget
        suffixes = getattr(widget, "suffixes", None)  # django-filter's RangeWidget: name_min, name_max
        names.update([f"{name}_{suffix}" if suffix else name for suffix in suffixes] if suffixes else [name])
    return names


def _filter_params(given: dict) -> QueryDict:
    """A list's filter given as JSON, as the list page's query string would carry it."""
    params = QueryDict(mutable=True)
    errors = {}
    for name, value in given.items():
        try:
            control_characters.refuse(name)
            items = value if isinstance(value, list) else [value]
            params.setlist(name, [_json_value(forms.CharField(), v) for v in items if v is not None])
            control_characters.refuse(params.getlist(name))
        except ValidationError as error:
            errors[control_characters.removed(name)] = error.messages
    if errors:
        raise ValidationError(errors)
    return params


def build_action_router(model) -> Router:
    """The actions of a model without a Surface (core.actions.place): ``POST /{pk}/<verb>`` on its scope."""
    with translation.override("en"):
        plural = str(model._meta.verbose_name_plural)
    router = Router(tags=[plural])

    def scoped_object(request, pk):
        if not role_may(request.user, VIEW, model):
            raise Http404
        return get_object_or_404(model._default_manager.for_user(request.user), pk=pk)

    add_action_routes(router, model, scoped_object=scoped_object,
                      operation_prefix=f"{model._meta.app_label}_{model._meta.model_name}")
    return router


def api_prefix(model) -> str:
    """Where the model's API routes are mounted: ``/<app>/<slug>`` of its Surface or its place."""
    surface = surface_for(model)
    slug = surface.slug if surface is not None else actions.PLACES[model].slug
    return f"/{model._meta.app_label}/{slug}"


def api_path(declared: actions.Action, pk="{pk}") -> str:
    """The action's API endpoint for the record ``pk`` (``{pk}``: as the OpenAPI document writes it)."""
    return f"/api{api_prefix(declared.model)}/{pk}/{declared.verb}"


def mount_surfaces():
    from core.surfaces import REGISTRY

    for surface in REGISTRY.values():
        api.add_router(f"/{surface.app_label}/{surface.slug}", build_router(surface))
    for model in actions.PLACES:
        api.add_router(api_prefix(model), build_action_router(model))

