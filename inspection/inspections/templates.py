"""The branch's own checklists: create, replace the items of, (de)activate.

An inspection copies a template's items when it is created, so changing a template later
never changes an inspection already recorded.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.errors import N_, NotFound, ValidationError
from inspection.inspections.models import InspectionTemplate, InspectionTemplateItem
from inspection.inspections.schemas import TemplateInput


def get_template(session: Session, template_id: int) -> InspectionTemplate:
    template = session.get(InspectionTemplate, template_id)
    if template is None:
        raise NotFound(N_("There is no checklist %(id)s."), id=template_id)
    return template


def _name_taken() -> ValidationError:
    return ValidationError(
        N_("Some fields are not valid."),
        fields={"name": N_("Another checklist has this name.")},
    )


def _save(session: Session, template: InspectionTemplate) -> None:
    try:
        with session.begin_nested():
            session.add(template)
            session.flush()
    except IntegrityError:
        raise _name_taken() from None


def _check_name(session: Session, name: str, template_id: int | None) -> None:
    other = session.scalar(
        select(InspectionTemplate.id).where(
            InspectionTemplate.name == name, InspectionTemplate.id != (template_id or 0)
        )
    )
    if other is not None:
        raise _name_taken()


def _items(data: TemplateInput) -> list[InspectionTemplateItem]:
    return [
        InspectionTemplateItem(
            position=position,
            section=item.section,
            name=item.name,
            hazard_category=item.hazard_category,
        )
        for position, item in enumerate(data.items, start=1)
    ]


def create_template(session: Session, data: TemplateInput, *, actor: User) -> InspectionTemplate:
    """Create a checklist template (its name unique among the branch's checklists)."""
    _check_name(session, data.name, None)
    template = InspectionTemplate(
        name=data.name,
        kind=data.kind,
        active=True if data.active is None else data.active,
        items=_items(data),
    )
    _save(session, template)
    return template


def replace_template(
    session: Session, template_id: int, data: TemplateInput, *, actor: User
) -> InspectionTemplate:
    """Rename a template and replace its items (inspections keep their own copies)."""
    template = get_template(session, template_id)
    _check_name(session, data.name, template.id)
    template.name = data.name
    template.kind = data.kind
    if data.active is not None:
        template.active = data.active
    template.items.clear()
    session.flush()  # the old rows go before the new ones take their positions
    template.items.extend(_items(data))
    _save(session, template)
    return template


def set_active(session: Session, template_id: int, active: bool, *, actor: User):
    """Deactivate a template (new inspections no longer offer it) or activate it again."""
    template = get_template(session, template_id)
    template.active = active
    session.flush()
    return template
