"""Writes on cases, one module per subject: steps (the general and simple procedures), reviews
(复议诉讼), recusals (回避) and preservations (先行登记保存); common holds what they share."""
