// Progressive enhancement: suggestions while typing, from the lookup API, in a native
// <datalist>. Without JavaScript the search button next to the field does the same work.
(function () {
  'use strict';
  var inputs = document.querySelectorAll('input[data-autocomplete]');
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.createElement('datalist');
    list.id = input.id + '-suggestions';
    input.insertAdjacentElement('afterend', list);
    input.setAttribute('list', list.id);
    var timer = null;
    var last = '';
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) return;
        last = q;
        var url = input.getAttribute('data-autocomplete') + '?limit=8&lang=' +
          encodeURIComponent(document.documentElement.lang) + '&q=' + encodeURIComponent(q);
        fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (res) { return res.ok ? res.json() : { items: [] }; })
          .then(function (data) {
            while (list.firstChild) list.removeChild(list.firstChild);
            (data.items || []).forEach(function (item) {
              var option = document.createElement('option');
              option.value = item.label.text;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience only */ });
      }, 150);
    });
  });
})();
