"""The kinds of paper the personal vault keeps, as the catalog's requirements and result forms name them.

A requirement's ``vault_document_type`` and a result form's ``document_type`` use these codes: a paper kept under a
code is offered wherever that code is asked (NĐ 45/2020/NĐ-CP: no paper asked for twice). Catalog codes not listed
here still work; they are shown by the requirement's own name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPES = {
    "can_cuoc": _("Căn cước, căn cước công dân hoặc hộ chiếu"),
    "giay_khai_sinh": _("Giấy khai sinh (hoặc trích lục khai sinh)"),
    "chung_nhan_ket_hon": _("Giấy chứng nhận kết hôn (hoặc trích lục kết hôn)"),
    "xac_nhan_hon_nhan": _("Giấy xác nhận tình trạng hôn nhân"),
    "trich_luc_khai_tu": _("Trích lục khai tử"),
    "cho_o_hop_phap": _("Giấy tờ chứng minh chỗ ở hợp pháp"),
}
