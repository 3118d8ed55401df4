# English dates written out ("March 14, 2026", as receipts always showed them) rather than
# Django's "Mar. 14, 2026"; Spanish keeps Django's own ("14 de marzo de 2026").
DATE_FORMAT = "F j, Y"
