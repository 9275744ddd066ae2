"""The dossier's documents, built as bytes and written nowhere: form 01 receipt, forms 02–05 notices, form 06
control slip, form 07 register (PDF and Excel) of TT 03/2025/TT-VPCP, and the result document."""
