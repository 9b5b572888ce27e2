#pragma once
// A layers × heads table of one number per head, each cell coloured by its value (magma over
// the table's range) and holding the exact value under Qt::UserRole. Clicking a cell is how
// the analyses and the variant comparison open that head.

#include <vector>

class QTableWidget;

namespace attnscope {

// values[layer][head]; decimals for the text shown in each cell.
void fillHeadTable(QTableWidget *table, const std::vector<std::vector<double>> &values, int decimals = 3);

} // namespace attnscope
